# Pages, news and figures arrive with the briefings issue.
