from django.urls import path

from rongmei.website import views

app_name = "website"
urlpatterns = [path("<int:pk>/<str:kind>", views.media, name="media")]
