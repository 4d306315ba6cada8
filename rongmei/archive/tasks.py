"""Background work of the archive: renditions."""

from huey.contrib.djhuey import db_task


@db_task(retries=1, retry_delay=30)
def make_renditions(asset_id: int) -> None:
    from rongmei.archive.actions import build_renditions
    from rongmei.archive.models import Asset

    asset = Asset.objects.filter(pk=asset_id).first()
    if asset is not None:
        build_renditions(asset)
