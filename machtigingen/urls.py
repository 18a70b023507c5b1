app_name = "machtigingen"

urlpatterns = []
