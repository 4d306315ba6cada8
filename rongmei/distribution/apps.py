from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "rongmei.distribution"
    label = "distribution"
    verbose_name = _("Distribution")

    def ready(self):
        from wagtail.signals import workflow_approved

        from rongmei.distribution import signals
        from rongmei.distribution.channels._oauth import keep_tokens_out_of_logs

        workflow_approved.connect(signals.story_approved, dispatch_uid="distribution.story_approved")
        keep_tokens_out_of_logs()  # httpx logs request URLs at INFO; WeChat, Douyin, Kuaishou put tokens there
