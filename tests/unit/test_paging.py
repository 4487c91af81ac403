"""The page arithmetic every admin list shares."""

from moviebook.services.paging import MAX_PAGE_SIZE, page_slice


def test_a_page_past_either_end_shows_the_nearest_real_page_and_sizes_are_capped():
    assert page_slice(0, 1, 20) == page_slice(0, 5, 20)  # an empty list still has its one (empty) page
    assert (page_slice(0, 5, 20).page, page_slice(0, 5, 20).pages) == (1, 1)
    last = page_slice(45, 99, 20)
    assert (last.page, last.pages, last.offset, last.limit) == (3, 3, 40, 20)
    first = page_slice(45, -4, 20)
    assert (first.page, first.offset) == (1, 0)
    huge = page_slice(10_000, 2, 10**9)
    assert (huge.limit, huge.offset) == (MAX_PAGE_SIZE, MAX_PAGE_SIZE)
