#include "harness/result_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace gelubench {

namespace fs = std::filesystem;

namespace {

// How a result reaches `path`.
struct Target {
  bool in_place = false;  // an existing non-regular file: write to it directly
  std::string file;       // the regular file to replace (symlinks resolved)
  std::string error;      // why `path` cannot be a result file
};

Target resolve(const std::string& path) {
  Target t;
  if (path.empty()) {
    t.error = "empty path";
    return t;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {  // follows symbolic links
    if (S_ISDIR(st.st_mode)) {
      t.error = "is a directory: " + path;
    } else if (!S_ISREG(st.st_mode)) {
      t.in_place = true;
      t.file = path;
    } else {
      std::error_code ec;
      fs::path real = fs::canonical(path, ec);
      t.file = ec ? path : real.string();
    }
    return t;
  }
  struct stat lst {};
  if (lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
    t.error = "is a symbolic link to a missing file: " + path;
    return t;
  }
  t.file = path;  // a new file
  return t;
}

std::string dir_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string temp_name(const std::string& file) {
  return dir_of(file) + "/." + fs::path(file).filename().string() + ".tmp." + std::to_string(getpid());
}

// Holds back the signals that would end the process while a temporary file
// exists; a pending one is delivered when this goes out of scope.
class HoldSignals {
 public:
  HoldSignals() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &s, &old_);
  }
  ~HoldSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

 private:
  sigset_t old_;
};

[[noreturn]] void fail(const std::string& path, int err) {
  throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
}

void write_all(int fd, std::string_view contents, const std::string& path, const std::string& tmp) {
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int e = w < 0 ? errno : EIO;
      close(fd);
      if (!tmp.empty()) unlink(tmp.c_str());
      fail(path, e);
    }
    p += w;
    left -= static_cast<size_t>(w);
  }
}

// The last step of both writers: the complete temporary file becomes `file`,
// or is removed (errors name the user's `path`).
void rename_or_remove(const std::string& tmp, const std::string& file, const std::string& path) {
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    fail(path, e);
  }
}

}  // namespace

std::string check_writable(const std::string& path) {
  Target t = resolve(path);
  if (!t.error.empty()) return t.error;
  if (t.in_place) return access(t.file.c_str(), W_OK) == 0 ? "" : "not writable: " + path;
  std::string dir = dir_of(t.file);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return "directory does not exist: " + dir;
  // access(W_OK) says yes to root on read-only or pseudo file systems; creating a file is the real test.
  std::string probe = temp_name(t.file) + ".probe";
  int fd = open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create files in " + dir + ": " + std::strerror(errno);
  close(fd);
  unlink(probe.c_str());
  return {};
}

std::string temporary_path_for(const std::string& path) {
  Target t = resolve(path);
  return t.in_place || !t.error.empty() ? "" : temp_name(t.file);
}

void commit_temporary(const std::string& tmp, const std::string& path) {
  Target t = resolve(path);
  if (!t.error.empty()) {
    unlink(tmp.c_str());
    throw std::runtime_error("cannot write " + path + ": " + t.error);
  }
  rename_or_remove(tmp, t.file, path);
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  Target t = resolve(path);
  if (!t.error.empty()) throw std::runtime_error("cannot write " + path + ": " + t.error);
  if (t.in_place) {
    int fd = open(t.file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(path, errno);
    write_all(fd, contents, path, "");
    if (close(fd) != 0) fail(path, errno);
    return;
  }
  HoldSignals hold;
  const std::string tmp = temp_name(t.file);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, errno);
  write_all(fd, contents, path, tmp);
  if (fsync(fd) != 0 || close(fd) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    fail(path, e);
  }
  rename_or_remove(tmp, t.file, path);
}

}  // namespace gelubench
