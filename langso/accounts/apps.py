from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "langso.accounts"
    label = "accounts"
