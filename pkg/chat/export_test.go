package chat

import "time"

// SetLogClock replaces the clock of s's log sampler (before s serves).
func SetLogClock(s *Server, now func() time.Time) { s.now = now }
