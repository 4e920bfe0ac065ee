package fakecloud

// Paging, as the real APIs do it: MaxResults/NextToken (ALB, ECS, CLB
// listeners and tags) or PageNumber/PageSize (Alidns, ECS, CLB instances).
// Every list handler filters first, then takes its page with one of these
// and answers pageOf(items, p) with the page's echo fields.

import (
	"net/http"
)

// page is the window [start, end) of a list of total items, with what the
// answer echoes: the next token ("" on the last page) and MaxResults for
// token paging, PageNumber and PageSize for number paging.
type page struct {
	start, end, total int
	next              string
	maxResults        int
	number, size      int
}

// pageOf returns the items of p.
func pageOf[T any](items []T, p page) []T { return items[p.start:p.end] }

// tokenPage pages n items with MaxResults (1..hi, default def; a value below
// floor counts as floor, as ECS does with 10) and NextToken, with tokens
// made by st's paging key (token.go).
func tokenPage(st *State, r *Request, n, def, floor, hi int) (page, error) {
	maxResults, err := r.IntRange("MaxResults", 1, hi, def)
	if err != nil {
		return page{}, err
	}
	p, err := tokenWindow(st, r, n, max(maxResults, floor))
	p.maxResults = maxResults
	return p, err
}

// tokenWindow pages n items, size per page, from NextToken: the token
// names the page's first item for this query only (token.go); a token that
// is not one, was made for another query, or points past the end, is 400
// InvalidParameter.NextToken.
func tokenWindow(st *State, r *Request, n, size int) (page, error) {
	p := page{total: n}
	if tok := r.Get("NextToken"); tok != "" {
		s, ok := st.readPageToken(r, tok)
		if !ok || s > n {
			return page{}, Errorf(http.StatusBadRequest, "InvalidParameter.NextToken", "The specified NextToken %q is invalid.", tok)
		}
		p.start = s
	}
	p.end = min(p.start+size, n)
	if p.end < n {
		p.next = st.pageToken(r, p.end)
	}
	return p, nil
}

// pageNumberMax is the largest PageNumber Alidns and ECS accept.
const pageNumberMax = 1 << 30

// numberPage pages n items with PageNumber (1..maxNumber, default 1) and
// PageSize (1..maxSize, default def).
func numberPage(r *Request, n, maxNumber, def, maxSize int) (page, error) {
	num, err := r.IntRange("PageNumber", 1, maxNumber, 1)
	if err != nil {
		return page{}, err
	}
	size, err := r.IntRange("PageSize", 1, maxSize, def)
	if err != nil {
		return page{}, err
	}
	start := min((num-1)*size, n)
	return page{start: start, end: min(start+size, n), total: n, number: num, size: size}, nil
}
