package fakecloud

import (
	"net/http"
	"strconv"
)

// pageByToken pages a list of n items with MaxResults/NextToken semantics:
// NextToken is the decimal index of the first item of the page. It returns the
// half-open range [start, end) and the next token ("" on the last page).
func pageByToken(r *Request, n, defMax, minMax, maxMax int) (start, end int, next string, err error) {
	max, err := r.IntRange("MaxResults", 1, maxMax, defMax)
	if err != nil {
		return 0, 0, "", err
	}
	if max < minMax {
		max = minMax
	}
	if tok := r.Get("NextToken"); tok != "" {
		s, convErr := strconv.Atoi(tok)
		if convErr != nil || s < 0 || s > n {
			return 0, 0, "", Errorf(http.StatusBadRequest, "InvalidParameter.NextToken", "The specified NextToken %q is invalid.", tok)
		}
		start = s
	}
	end = start + max
	if end > n {
		end = n
	}
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}
