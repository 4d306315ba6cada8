"""Local stand-ins for the platforms no machine here can reach (WeChat,
Weibo, Douyin, Kuaishou…), following ``../shared/docs/channels.md``: the
same paths, fields and error codes, and their bad days. Used by the tests
and the benchmarks; never by the platform itself."""
