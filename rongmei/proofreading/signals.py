"""Any saved or deleted lexicon entry changes the lexicon's revision, so
every process compiles the lexicon again before its next check. Bulk
changes (imports) call ``LexiconRevision.bump()`` themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rongmei.proofreading.models import LexiconEntry, LexiconRevision


@receiver(post_save, sender=LexiconEntry, dispatch_uid="proofreading-lexicon-saved")
@receiver(post_delete, sender=LexiconEntry, dispatch_uid="proofreading-lexicon-deleted")
def _lexicon_changed(sender, **kwargs):
    LexiconRevision.bump()
