package keys

import "sort"

// maxSuggestDistance is how far a list word may be from a typo and still be suggested: beyond
// three edits a suggestion is more confusing than helpful.
const maxSuggestDistance = 3

// suggest returns up to three English list words nearest to w by Levenshtein distance, nearest
// first, ties in list order.
func suggest(w string) []string {
	if len(w) > 16 { // longer than any list word by far: nothing near, and not worth the work
		return nil
	}
	type cand struct {
		word string
		dist int
	}
	var cands []cand
	for _, e := range english() {
		if d := EditDistance(w, e); d <= maxSuggestDistance {
			cands = append(cands, cand{e, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].word)
	}
	return out
}

// EditDistance is the Levenshtein distance between a and b, counted in bytes (the word list and
// flag names are ASCII).
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
