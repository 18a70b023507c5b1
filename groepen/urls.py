app_name = "groepen"

urlpatterns = []
