"""The portal's account pages. pti_bridge/urls.py puts them under /portal/ with the
catalogue's and the inbox's pages, in the one URL namespace "portal"."""

from django.contrib.auth import views as auth_views
from django.urls import path

from exporters import views

urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/check-your-mail/", views.register_done, name="register_done"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("password/", views.password_change, name="password_change"),
    path("password/changed/", views.password_change_done, name="password_change_done"),
    path("password/forgotten/", views.password_reset, name="password_reset"),
    path("password/forgotten/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("company/", views.profile, name="profile"),
    path("company/documents/", views.documents, name="documents"),
    path("company/people/", views.members, name="members"),
    path("company/people/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("company/people/<int:pk>/resend-invitation/", views.invitation_resend, name="invitation_resend"),
    path("invitation/<str:token>/", views.accept_invite, name="accept_invite"),
]
