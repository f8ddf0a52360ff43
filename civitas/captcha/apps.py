from django.apps import AppConfig


class CaptchaConfig(AppConfig):
    name = "civitas.captcha"
