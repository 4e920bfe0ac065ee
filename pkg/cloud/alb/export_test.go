package alb

// MaxChain is maxChain, for the test of the bound.
const MaxChain = maxChain
