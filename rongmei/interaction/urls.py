"""The public pages of 政民互动, included at the site's root (before
Wagtail's pages): Chinese under /hudong/, English under /en/interaction/."""

from django.urls import path

from rongmei.interaction import views

app_name = "interaction"
urlpatterns = [
    path("hudong/", views.submit, {"language": "zh-hans"}, name="submit"),
    path("hudong/chaxun/", views.lookup, {"language": "zh-hans"}, name="lookup"),
    path("en/interaction/", views.submit, {"language": "en"}, name="submit_en"),
    path("en/interaction/lookup/", views.lookup, {"language": "en"}, name="lookup_en"),
]
