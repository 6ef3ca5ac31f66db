"""The buyers app's part of /api/v1/ (included from pti_bridge/urls.py)."""

from django.urls import path

from buyers import apis

urlpatterns = [
    path("auth/wechat/", apis.SignInApi.as_view(), name="api_auth_wechat"),
    path("me/", apis.MeApi.as_view(), name="api_me"),
    path("me/phone/", apis.PhoneApi.as_view(), name="api_me_phone"),
    path("me/consent/", apis.ConsentApi.as_view(), name="api_me_consent"),
    path("app-config/", apis.AppConfigApi.as_view(), name="api_app_config"),
    path("privacy-policy/", apis.PrivacyPolicyApi.as_view(), name="api_privacy_policy"),
    path("favourites/", apis.FavouriteListApi.as_view(), name="api_favourites"),
    path("favourites/<int:product_id>/", apis.FavouriteApi.as_view(), name="api_favourite"),
    path("products/<int:pk>/share-code/", apis.ShareCodeApi.as_view(), name="api_product_share_code"),
    path("wechat/push/", apis.WeChatPushApi.as_view(), name="api_wechat_push"),
]
