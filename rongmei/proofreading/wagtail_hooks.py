from wagtail import hooks

from rongmei.proofreading.views import LexiconEntryViewSet


@hooks.register("register_admin_viewset")
def register_viewsets():
    return LexiconEntryViewSet("proofreading_lexicon", url_prefix="proofreading/lexicon")
