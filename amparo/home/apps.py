from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top of the layers: the home page gathers each role's work of the day from every app,
    so it may import any of them, and none imports it."""

    name = "amparo.home"
    label = "home"
