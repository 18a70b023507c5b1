"""The Groepen screens (R24): the overview, a group's page, and the pop-ups for every change."""
