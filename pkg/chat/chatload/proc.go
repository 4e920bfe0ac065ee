package chatload

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

var timeZero time.Time

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// 100 on every Linux architecture Go supports).
const clockTick = 10 * time.Millisecond

// Sample is one reading of a process.
type Sample struct {
	At  time.Time
	RSS uint64        // resident set, bytes (VmRSS)
	CPU time.Duration // user + system CPU time since the process started
}

// ReadProc reads a process's resident set and CPU time from /proc.
func ReadProc(pid int) (Sample, error) {
	s := Sample{At: time.Now()}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("read the server's memory: %w", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v)
			if len(f) == 2 && f[1] == "kB" {
				kb, _ := strconv.ParseUint(f[0], 10, 64)
				s.RSS = kb << 10
			}
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, fmt.Errorf("read the server's CPU time: %w", err)
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	rest := string(stat)
	if i := strings.LastIndexByte(rest, ')'); i >= 0 {
		rest = rest[i+1:]
	}
	f := strings.Fields(rest) // f[0] is field 3 (state)
	if len(f) < 13 {
		return s, fmt.Errorf("read the server's CPU time: /proc/%d/stat is too short", pid)
	}
	utime, _ := strconv.ParseUint(f[11], 10, 64) // field 14
	stime, _ := strconv.ParseUint(f[12], 10, 64) // field 15
	s.CPU = time.Duration(utime+stime) * clockTick
	return s, nil
}

// readAll samples every pid; a pid of 0 is skipped (no server to measure).
func readAll(pids []int) ([]Sample, error) {
	out := make([]Sample, len(pids))
	for i, p := range pids {
		if p == 0 {
			continue
		}
		s, err := ReadProc(p)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// cpuSince is the CPU time all pids used since before.
func cpuSince(pids []int, before []Sample) (time.Duration, error) {
	after, err := readAll(pids)
	if err != nil {
		return 0, err
	}
	var d time.Duration
	for i := range pids {
		d += after[i].CPU - before[i].CPU
	}
	return d, nil
}
