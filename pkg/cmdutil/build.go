package cmdutil

import "runtime/debug"

// Build describes the binary (stamped by the linker).
type Build struct {
	Version, Commit, Date string
}

// Placeholders for what nothing recorded.
const (
	unknownVersion = "dev"
	unknownCommit  = "none"
	unknownDate    = "unknown"
)

// WithBuildInfo fills in what the linker did not stamp (an empty field) from
// the build info the Go toolchain embeds in every binary: a plain `go build`
// in a git checkout records the commit (vcs.revision), its time (vcs.time)
// and whether the work tree had local changes (vcs.modified, shown as a
// "-dirty" commit); `go install …@v1.2.3` records the module's version.
// Values set with -ldflags -X always win. info may be nil (no build info,
// e.g. `go run` or a test binary); what is still unknown gets a placeholder.
func (b Build) WithBuildInfo(info *debug.BuildInfo) Build {
	if info != nil {
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		if b.Commit == "" && settings["vcs.revision"] != "" {
			b.Commit = settings["vcs.revision"]
			if settings["vcs.modified"] == "true" {
				b.Commit += "-dirty"
			}
		}
		if b.Date == "" {
			b.Date = settings["vcs.time"]
		}
	}
	if b.Version == "" {
		b.Version = unknownVersion
	}
	if b.Commit == "" {
		b.Commit = unknownCommit
	}
	if b.Date == "" {
		b.Date = unknownDate
	}
	return b
}
