"""The ArticleSource port's implementations: topic feeds, Google News search, NewsAPI.org."""
