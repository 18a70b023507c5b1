"""The page a relation answers an invitation on (R43, R47): no eHerkenning needed."""

app_name = "uitnodiging"

urlpatterns = []
