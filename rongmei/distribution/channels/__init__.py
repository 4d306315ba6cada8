"""Channel adapters, one module per channel, all behind
:class:`rongmei.distribution.channels.base.Adapter`. How to add one:
``docs/channels.md``."""

from importlib import import_module

# transport "platform": the adapter of the channel's kind; kinds without a
# publishing API (视频号, 央视频, print, TV) are published by hand.
PLATFORM_ADAPTERS = {
    "wechat_mp": "wechat",
    "weibo": "weibo",
    "douyin": "douyin",
    "kuaishou": "kuaishou",
    "website": "website",
}
# The other transports, whatever the kind.
TRANSPORT_ADAPTERS = {"webhook": "webhook", "email": "email", "sftp": "sftp", "manual": "manual"}


def adapter_code(channel) -> str:
    if channel.transport != "platform":
        return TRANSPORT_ADAPTERS[channel.transport]
    return PLATFORM_ADAPTERS.get(channel.kind, "manual")


def adapter_for(channel):
    """The adapter object that delivers to ``channel``."""
    return import_module(f"{__name__}.{adapter_code(channel)}").ADAPTER
