"""A column's RSS 2.0 feed (``<column>/feed/``): its latest live
articles, with absolute addresses at the host the feed was asked at."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from rongmei.core.text import plain_excerpt
from rongmei.website.models import FEED_LANG


class ColumnFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, column=None, **kwargs):
        # One instance per request (see ColumnPage.feed): the request and
        # the column are kept for the methods below.
        self.request = request
        self.column = column
        self.language = FEED_LANG.get(column.language, column.language)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self.column

    def title(self, column):
        home = column.home
        site = (home.site_name if home is not None else "") or column.labels["site"]
        return f"{column.title} - {site}"

    def link(self, column):
        return column.get_url(request=self.request)

    def feed_url(self, column):
        return self.request.path

    def description(self, column):
        return column.intro or column.title

    def items(self, column):
        return column.articles()[: column.feed_size]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or plain_excerpt(item.body, 200)

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
