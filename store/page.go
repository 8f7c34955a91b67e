package store

// ReadPage reads a page of at most limit items (0 meaning DefaultLimit)
// with read and says whether more follow it, so that a list gives a next
// only when there is a next page, never one that leads to an empty page.
// read(n, nil) reads the first n items; read(n, last) the n after last.
// It is asked for one item more than the page, or, for a page of MaxLimit
// (the most a store read returns), for one item after the page's last.
func ReadPage[T any](limit int, read func(n int, after *T) ([]T, error)) (items []T, more bool, err error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	items, err = read(min(limit+1, MaxLimit), nil)
	switch {
	case err != nil || len(items) < limit:
		return items, false, err
	case len(items) > limit:
		return items[:limit], true, nil
	}
	next, err := read(1, &items[len(items)-1])
	return items, len(next) > 0, err
}
