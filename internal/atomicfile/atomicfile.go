// Package atomicfile replaces a file's content so that, after a crash or a
// failed write, the file holds either its old content or the complete new
// one, never a mixture, and never nothing.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
)

// maxLinks bounds the symbolic links followed, as the kernel's ELOOP does.
const maxLinks = 40

// Write replaces the content of the file at path with the bytes write
// writes. What it guarantees:
//
//   - Atomic: write writes to a new temporary file in the same directory as
//     the file it replaces (".<name>.tmp-<random>"), which is synced to disk,
//     closed and renamed over the file, and then the directory is synced. A
//     reader sees the old file or the complete new one. After Write returns
//     nil, the new content survives a crash or power loss, as far as the
//     file system honours fsync.
//   - On any error (write returns one, a write or sync fails, for example
//     on a full disk) the file is left as it was and the temporary file is
//     removed. If only the final directory sync fails, the new content is in
//     place but may not survive a crash; the error says so.
//   - Permissions: an existing file keeps its permission bits (rwx for
//     user, group and other; setuid, setgid and sticky are dropped). A new
//     file is created with mode 0666 less the process's umask (and the
//     directory's default ACL, where there is one), as os.Create does. The
//     temporary file is never more readable than the file it replaces. The
//     owner and group are those of the writing process; the old file's
//     owner, ACLs, extended attributes and hard links are not carried over
//     (other hard links keep the old content).
//   - Symbolic links are written through: if path is a symbolic link (or a
//     chain of them), the file it finally points to is replaced, in that
//     file's directory, and the links stay links. A dangling link creates
//     its target, as open(2) with O_CREAT would.
//   - It refuses, with an error and without changing anything, to replace
//     anything but a regular file (a directory, a device such as /dev/null,
//     a named pipe, a socket).
//
// Write does not lock: two concurrent Writes of the same file each complete
// atomically and the last rename wins. The directory must exist.
func Write(path string, write func(w io.Writer) error) (err error) {
	dst, old, err := resolve(path)
	if err != nil {
		return err
	}
	dir, name := filepath.Split(dst)
	if name == "" {
		return fmt.Errorf("atomicfile: %s: no file name", path)
	}
	if dir == "" {
		dir = "."
	}
	// An existing file: create the temporary file with its permissions
	// (which the umask may narrow, so a partly written file is never more
	// readable than the old one), and set them exactly once written. A new
	// file: 0666, narrowed by the umask, as os.Create.
	perm := fs.FileMode(0o666)
	if old != nil {
		perm = old.Mode().Perm()
	}
	f, err := createTemp(dir, name, perm)
	if err != nil {
		return fmt.Errorf("atomicfile: %s: %w", path, err)
	}
	tmp, renamed := f.Name(), false
	defer func() {
		if err != nil && !renamed {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if old != nil {
		if err = f.Chmod(perm); err != nil {
			return fmt.Errorf("atomicfile: %s: %w", path, err)
		}
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("atomicfile: syncing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("atomicfile: %s is written, but syncing its directory failed, so it may not survive a crash: %w", path, err)
	}
	return nil
}

// WriteFile is Write of data.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// resolve follows symbolic links from path to the file they name and
// returns that file's path and information, or nil information if it does
// not exist yet. Relative link targets are joined to the link's directory
// without cleaning the path, so that ".." means what the kernel makes of
// it.
func resolve(path string) (string, fs.FileInfo, error) {
	for hops := 0; ; hops++ {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil
		}
		if err != nil {
			return "", nil, fmt.Errorf("atomicfile: %w", err)
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			if !fi.Mode().IsRegular() {
				return "", nil, fmt.Errorf("atomicfile: %s is not a regular file (mode %v): not replacing it", path, fi.Mode())
			}
			return path, fi, nil
		}
		if hops == maxLinks {
			return "", nil, fmt.Errorf("atomicfile: %s: more than %d symbolic links", path, maxLinks)
		}
		t, err := os.Readlink(path)
		if err != nil {
			return "", nil, fmt.Errorf("atomicfile: %w", err)
		}
		if !filepath.IsAbs(t) {
			dir, _ := filepath.Split(path)
			t = dir + t
		}
		path = t
	}
}

// createTemp creates a new file ".<name>.tmp-<random>" in dir with
// O_EXCL and mode perm (the kernel applies the umask).
func createTemp(dir, name string, perm fs.FileMode) (*os.File, error) {
	// Keep the name within the usual 255-byte limit.
	if len(name) > 200 {
		name = name[:200]
	}
	for try := 0; ; try++ {
		p := filepath.Join(dir, "."+name+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if err == nil || !errors.Is(err, fs.ErrExist) || try == 100 {
			return f, err
		}
	}
}

// syncDir makes a rename in dir durable. Windows cannot open a directory
// for syncing, and some file systems do not support it (EINVAL); both are
// taken as nothing to do.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
