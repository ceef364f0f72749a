// The built-in prototypes (data) and their parser.
#include "ptk/debug/call_prototypes.h"

#include <fmt/format.h>

#include <array>
#include <map>
#include <utility>

namespace ptk::debug {
namespace {

constexpr std::array<std::pair<ArgType, std::string_view>, 15> kTypeNames = {{
    {ArgType::Void, "void"},
    {ArgType::Int, "int"},
    {ArgType::UInt, "uint"},
    {ArgType::Long, "long"},
    {ArgType::ULong, "ulong"},
    {ArgType::Hex, "hex"},
    {ArgType::Oct, "oct"},
    {ArgType::Char, "char"},
    {ArgType::Ptr, "ptr"},
    {ArgType::String, "string"},
    {ArgType::Buffer, "buffer"},
    {ArgType::Format, "format"},
    {ArgType::Func, "func"},
    {ArgType::Double, "double"},
    {ArgType::Float, "float"},
}};

// One declaration per line. size_t is ulong, ssize_t long, FILE* and other opaque pointers ptr.
// The _chk variants are what programs built with _FORTIFY_SOURCE (most distribution binaries,
// ls included) call instead of the plain functions.
constexpr std::string_view kBuiltins = R"(
ulong strlen(string)
int strcmp(string, string)
int strncmp(string, string, ulong)
int strcasecmp(string, string)
int strcoll(string, string)
ptr strcpy(ptr, string)
ptr strncpy(ptr, string, ulong)
ptr strcat(string, string)
ptr strchr(string, char)
ptr strrchr(string, char)
ptr strstr(string, string)
string strdup(string)
string strerror(int)
ptr memcpy(ptr, buffer, ulong)
ptr memmove(ptr, buffer, ulong)
ptr memset(ptr, char, ulong)
int memcmp(ptr, ptr, ulong)
ptr memchr(ptr, char, ulong)
ptr __memcpy_chk(ptr, buffer, ulong, ulong)
int puts(string)
int printf(format, ...)
int fprintf(ptr, format, ...)
int sprintf(ptr, format, ...)
int snprintf(ptr, ulong, format, ...)
int __printf_chk(int, format, ...)
int __fprintf_chk(ptr, int, format, ...)
int __sprintf_chk(ptr, int, ulong, format, ...)
int __snprintf_chk(ptr, ulong, int, ulong, format, ...)
int fputs(string, ptr)
int fputs_unlocked(string, ptr)
int fputc(char, ptr)
int putc(char, ptr)
int putchar(char)
int __overflow(ptr, char)
ptr fopen(string, string)
ptr fdopen(int, string)
int fclose(ptr)
int fileno(ptr)
ulong fread(ptr, ulong, ulong, ptr)
ulong fwrite(ptr, ulong, ulong, ptr)
ulong fwrite_unlocked(ptr, ulong, ulong, ptr)
int fflush(ptr)
ptr fgets(ptr, int, ptr)
long getline(ptr, ptr, ptr)
ptr malloc(ulong)
ptr calloc(ulong, ulong)
ptr realloc(ptr, ulong)
ptr reallocarray(ptr, ulong, ulong)
void free(ptr)
int open(string, hex, oct)
int open64(string, hex, oct)
int openat(int, string, hex, oct)
long read(int, ptr, ulong)
long write(int, buffer, ulong)
int close(int)
int stat(string, ptr)
int fstat(int, ptr)
int lstat(string, ptr)
int statx(int, string, hex, hex, ptr)
int fstatat(int, string, ptr, hex)
int access(string, int)
int unlink(string)
int mkdir(string, oct)
int chdir(string)
ptr getcwd(ptr, ulong)
ptr opendir(string)
ptr fdopendir(int)
ptr readdir(ptr)
ptr readdir64(ptr)
int closedir(ptr)
int dirfd(ptr)
int ioctl(int, hex, ptr)
int isatty(int)
string getenv(string)
string secure_getenv(string)
int setenv(string, string, int)
int unsetenv(string)
string setlocale(int, string)
string nl_langinfo(int)
string textdomain(string)
string bindtextdomain(string, string)
string dcgettext(string, string, int)
int atoi(string)
int getopt_long(int, ptr, string, ptr, ptr)
int _setjmp(ptr)
int setjmp(ptr)
int fnmatch(string, string, hex)
long atol(string)
double atof(string)
double strtod(string, ptr)
double sqrt(double)
double cbrt(double)
double sin(double)
double cos(double)
double tan(double)
double atan(double)
double atan2(double, double)
double exp(double)
double log(double)
double log10(double)
double pow(double, double)
double fmod(double, double)
double floor(double)
double ceil(double)
double round(double)
double trunc(double)
double fabs(double)
double ldexp(double, int)
float sqrtf(float)
float sinf(float)
float cosf(float)
float powf(float, float)
long strtol(string, ptr, int)
ulong strtoul(string, ptr, int)
int toupper(char)
int tolower(char)
int rand()
void srand(uint)
long time(ptr)
int getpid()
int getppid()
int fork()
int vfork()
int waitpid(int, ptr, hex)
int wait(ptr)
int execve(string, ptr, ptr)
int execv(string, ptr)
int execvp(string, ptr)
int system(string)
int pipe(ptr)
int dup(int)
int dup2(int, int)
int kill(int, int)
int raise(int)
func signal(int, func)
int sigaction(int, ptr, ptr)
int nanosleep(ptr, ptr)
int clock_gettime(int, ptr)
int gettimeofday(ptr, ptr)
void perror(string)
uint sleep(uint)
int usleep(uint)
uint alarm(uint)
void qsort(ptr, ulong, ulong, func)
ptr bsearch(ptr, ptr, ulong, ulong, func)
int atexit(func)
int __cxa_atexit(func, ptr, ptr)
void __cxa_finalize(ptr)
ptr __errno_location()
ptr dlopen(string, hex)
ptr dlsym(ptr, string)
int dlclose(ptr)
string dlerror()
int pthread_create(ptr, ptr, func, ptr)
int pthread_join(hex, ptr)
void exit(int) noreturn
void _exit(int) noreturn
void _Exit(int) noreturn
void abort() noreturn
void __stack_chk_fail() noreturn
void __assert_fail(string, string, uint, string) noreturn
void pthread_exit(ptr) noreturn
void longjmp(ptr, int) noreturn
void siglongjmp(ptr, int) noreturn
int __libc_start_main(func, int, ptr, ptr, ptr, ptr) noreturn
)";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::map<std::string, Prototype, std::less<>>& builtins() {
  static const auto table = [] {
    std::map<std::string, Prototype, std::less<>> t;
    std::string_view rest = kBuiltins;
    while (!rest.empty()) {
      std::size_t nl = rest.find('\n');
      std::string_view line = trim(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (line.empty()) continue;
      auto p = parse_prototype(line);
      // The table is ours and covered by a unit test: a bad line is skipped, never fatal.
      if (p.ok()) t.emplace(p->name, std::move(*p));
    }
    return t;
  }();
  return table;
}

}  // namespace

std::string_view to_string(ArgType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "?";
}

std::optional<ArgType> arg_type_named(std::string_view name) {
  for (const auto& [t, n] : kTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

Result<Prototype> parse_prototype(std::string_view line) {
  auto bad = [&](std::string_view why) {
    return Error(ErrorKind::InvalidArgument, fmt::format("prototype '{}'", line), 0,
                 std::string(why));
  };
  Prototype p;
  std::string_view s = trim(line);
  if (s.ends_with(" noreturn")) {
    p.noreturn = true;
    s = trim(s.substr(0, s.size() - 9));
  }
  std::size_t open = s.find('('), space = s.find(' ');
  if (open == std::string_view::npos || !s.ends_with(')')) return bad("expected RET NAME(ARGS)");
  if (space == std::string_view::npos || space > open) return bad("no return type");
  auto ret = arg_type_named(s.substr(0, space));
  if (!ret) return bad(fmt::format("unknown type '{}'", s.substr(0, space)));
  p.ret = *ret;
  p.name = std::string(trim(s.substr(space + 1, open - space - 1)));
  if (p.name.empty()) return bad("no name");
  std::string_view args = trim(s.substr(open + 1, s.size() - open - 2));
  while (!args.empty()) {
    std::size_t comma = args.find(',');
    std::string_view a = trim(args.substr(0, comma));
    args = comma == std::string_view::npos ? std::string_view() : trim(args.substr(comma + 1));
    if (a == "...") {
      if (!args.empty()) return bad("'...' must come last");
      p.variadic = true;
      break;
    }
    auto t = arg_type_named(a);
    if (!t || *t == ArgType::Void) return bad(fmt::format("unknown argument type '{}'", a));
    p.args.push_back(*t);
  }
  return p;
}

const Prototype* builtin_prototype(std::string_view name) {
  const auto& t = builtins();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

Prototype guessed_prototype(std::string name) {
  Prototype p;
  p.name = std::move(name);
  p.ret = ArgType::Hex;
  p.args.assign(kGuessedArgs, ArgType::Hex);
  p.guessed = true;
  return p;
}

}  // namespace ptk::debug
