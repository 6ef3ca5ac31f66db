from django.db import migrations
from django.utils import timezone

TEXT_ZH = """PTI Bridge（太平洋贸易投资中国办公室运营）收集并处理以下个人信息，用于为您提供产品询价服务：
1. 微信标识（openid），用于登录，不会提供给任何第三方；
2. 您填写的昵称、头像、公司名称，以及您授权提供的手机号码；
3. 您的收藏和询价内容。
您的询价会由 PTI 工作人员翻译后转交给太平洋岛国的出口商（境外接收方）。只有在您同意分享联系方式时，出口商才会看到您的联系方式。
您可以随时在小程序中导出您的全部数据，或注销账号；注销后我们删除您的个人信息，询价内容以匿名方式保留，供出口商和 PTI 统计使用。
如有疑问，请联系 PTI 中国办公室。"""

TEXT_EN = """PTI Bridge (run by Pacific Trade Invest China) collects and processes the following personal information to handle your product inquiries:
1. your WeChat identifier (openid), for signing in; it is never given to anyone else;
2. the display name, avatar and company you enter, and the phone number you choose to share;
3. your favourites and inquiries.
PTI staff translate your inquiries and forward them to exporters in Pacific Island countries (recipients outside China). Exporters see your contact details only if you agree to share them.
You can export all your data or delete your account in the Mini Program at any time; on deletion we erase your personal information and keep your inquiries anonymised for the exporters' and PTI's records.
For questions, contact the PTI China office."""


def create_policy(apps, schema_editor):
    PrivacyPolicy = apps.get_model("buyers", "PrivacyPolicy")
    PrivacyPolicy.objects.get_or_create(
        version="2026-11",
        defaults={
            "title_zh_hans": "PTI Bridge 隐私政策",
            "title_en": "PTI Bridge privacy policy",
            "text_zh_hans": TEXT_ZH,
            "text_en": TEXT_EN,
            "published_at": timezone.now(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("buyers", "0003_tokens_policy_share_codes")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
