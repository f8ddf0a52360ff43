from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "civitas.system"
