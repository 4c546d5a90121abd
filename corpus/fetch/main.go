// Command fetch brings the public test files listed in corpus/sources.tsv
// into a directory (corpus/data by default, not committed), each under its
// repository's name, with a manifest of where every file came from.
//
//	go run ./corpus/fetch                          # clones from GitHub
//	go run ./corpus/fetch -mirror /work/.mirror    # or reads local git mirrors (OWNER+NAME/repo)
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// maxFileBytes leaves out files too large for a test corpus.
const maxFileBytes = 8 << 20

type source struct {
	repo, commit     string
	include, exclude *regexp.Regexp
	take             int
}

func main() {
	sources := flag.String("sources", "corpus/sources.tsv", "the list of sources")
	out := flag.String("out", "corpus/data", "where the files go")
	mirror := flag.String("mirror", os.Getenv("INLET_CORPUS_MIRROR"), "a directory of git mirrors, OWNER+NAME/repo (default: clone from GitHub)")
	flag.Parse()
	srcs, err := readSources(*sources)
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	manifest, err := os.Create(filepath.Join(*out, "manifest.tsv"))
	if err != nil {
		fail(err)
	}
	defer manifest.Close()
	fmt.Fprintln(manifest, "file\trepo\tcommit\tpath\tbytes\tsha256")
	total := 0
	for _, s := range srcs {
		gitDir, err := repository(s.repo, *mirror, filepath.Join(*out, ".git-cache"))
		if err != nil {
			fail(err)
		}
		commit, err := git(gitDir, "rev-parse", s.commit+"^{commit}")
		if err != nil {
			fail(fmt.Errorf("%s: commit %s: %w", s.repo, s.commit, err))
		}
		commit = strings.TrimSpace(commit)
		paths, err := pick(gitDir, commit, s)
		if err != nil {
			fail(err)
		}
		for _, p := range paths {
			body, err := exec.Command("git", "--git-dir", gitDir, "cat-file", "blob", commit+":"+p).Output()
			if err != nil {
				fail(fmt.Errorf("%s %s: %w", s.repo, p, err))
			}
			file := filepath.Join(strings.ReplaceAll(s.repo, "/", "+"), filepath.FromSlash(p))
			dst := filepath.Join(*out, file)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				fail(err)
			}
			if err := os.WriteFile(dst, body, 0o644); err != nil {
				fail(err)
			}
			sum := sha256.Sum256(body)
			fmt.Fprintf(manifest, "%s\t%s\t%s\t%s\t%d\t%s\n", filepath.ToSlash(file), s.repo, commit, p, len(body), hex.EncodeToString(sum[:]))
		}
		fmt.Printf("%-32s %s  %4d files\n", s.repo, commit[:12], len(paths))
		total += len(paths)
	}
	fmt.Printf("%d files in %s\n", total, *out)
}

func readSources(path string) ([]source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []source
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := sc.Text()
		if strings.HasPrefix(t, "#") || strings.TrimSpace(t) == "" {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("%s:%d: want 5 tab-separated fields, found %d", path, line, len(f))
		}
		s := source{repo: f[0], commit: f[1]}
		if s.include, err = regexp.Compile(f[2]); err != nil {
			return nil, fmt.Errorf("%s:%d: include: %w", path, line, err)
		}
		if f[3] != "-" {
			if s.exclude, err = regexp.Compile(f[3]); err != nil {
				return nil, fmt.Errorf("%s:%d: exclude: %w", path, line, err)
			}
		}
		if s.take, err = strconv.Atoi(f[4]); err != nil {
			return nil, fmt.Errorf("%s:%d: take: %w", path, line, err)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// repository returns a git directory holding repo: the local mirror, or a
// partial clone from GitHub kept in cache.
func repository(repo, mirror, cache string) (string, error) {
	name := strings.ReplaceAll(repo, "/", "+")
	if mirror != "" {
		dir := filepath.Join(mirror, name, "repo")
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("%s: no mirror at %s", repo, dir)
		}
		return dir, nil
	}
	dir := filepath.Join(cache, name)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	cmd := exec.Command("git", "clone", "--bare", "--filter=blob:none", "https://github.com/"+repo, dir)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("clone %s: %w", repo, err)
	}
	return dir, nil
}

// pick lists the regular files of the source at commit, spread evenly when
// only some are taken.
func pick(gitDir, commit string, s source) ([]string, error) {
	raw, err := git(gitDir, "ls-tree", "-r", "-l", "-z", commit)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, entry := range bytes.Split([]byte(raw), []byte{0}) {
		meta, p, ok := strings.Cut(string(entry), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 || f[0] != "100644" && f[0] != "100755" {
			continue // symbolic links, submodules
		}
		size, _ := strconv.Atoi(f[3])
		if size == 0 || size > maxFileBytes || !s.include.MatchString(p) || s.exclude != nil && s.exclude.MatchString(p) {
			continue
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if s.take > 0 && len(paths) > s.take {
		spread := make([]string, s.take)
		for i := range spread {
			spread[i] = paths[i*len(paths)/s.take]
		}
		paths = spread
	}
	return paths, nil
}

func git(dir string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"--git-dir", dir}, args...)...).Output()
	return string(out), err
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fetch:", err)
	os.Exit(1)
}
