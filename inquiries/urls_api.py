"""The inquiries app's part of /api/v1/ (included from pti_bridge/urls.py)."""

from django.urls import path

from inquiries import apis

urlpatterns = [
    path("inquiries/", apis.InquiryListApi.as_view(), name="api_inquiries"),
    path("inquiries/<int:pk>/", apis.InquiryDetailApi.as_view(), name="api_inquiry"),
    path("inquiries/<int:pk>/messages/", apis.InquiryMessageApi.as_view(), name="api_inquiry_messages"),
    path("me/data/", apis.MyDataApi.as_view(), name="api_me_data"),
]
