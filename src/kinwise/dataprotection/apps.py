from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "kinwise.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"
