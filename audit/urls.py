app_name = "logboek"

urlpatterns = []
