/* Executing a capture plan's items (capture_abi.h) in the kernel: each copy of user memory
 * becomes a chunk appended to the record in the scratch area. A copy that fails leaves no
 * chunk (the decoders then print the address); one that does not fit the record sets
 * PTK_SC_CAPTURE_FULL. Arrays are walked with bpf_loop, which the verifier checks once per
 * callback however long the array.
 */
#ifndef PTK_BPF_PROG_CAPTURE_H
#define PTK_BPF_PROG_CAPTURE_H

#include "maps.bpf.h"

#define PTK_PAGE_SIZE 4096u
#define PTK_CHUNK_HDR ((__u32)sizeof(struct ptk_ev_chunk))
#define PTK_MSG_NAME_MAX 128u

/* Bytes left for a new chunk's data. off and PTK_EV_MAX_SIZE are multiples of 8, so a chunk
 * whose length fits also fits with its padding. */
static __always_inline __u32 room(struct ptk_scratch* s) {
  __u32 used = s->st.off + PTK_CHUNK_HDR;
  return used >= PTK_EV_MAX_SIZE ? 0 : PTK_EV_MAX_SIZE - used;
}

/* Writes the header of the chunk whose `len` bytes are already at off + PTK_CHUNK_HDR, zeroes
 * its padding (the scratch area holds older records' bytes) and appends it to the record. */
static __always_inline void close_chunk(struct ptk_scratch* s, __u64 addr, __u32 len, __u32 flags) {
  struct ptk_ev_chunk* chunk = (void*)(s->buf + PTK_OFF(s->st.off));
  chunk->addr = addr;
  chunk->len = len;
  chunk->flags = flags;
  __u8* pad = s->buf + PTK_OFF(s->st.off + PTK_CHUNK_HDR + len);
  for (int i = 0; i < 8; i++) pad[i] = 0;
  s->st.off += PTK_CHUNK_HDR + PTK_CHUNK_PAD(len);
  s->st.nchunks++;
}

/* Copies `len` bytes at `addr`. With PAGE_OK, when they cannot all be read, the part up to the
 * end of the first page. Returns the scratch offset of the copied bytes, or -1. */
static __always_inline long copy_mem(__u64 addr, __u64 len, int page_ok) {
  struct ptk_scratch* s = get_scratch();
  if (!s || addr == 0 || len == 0) return -1;
  if (len > room(s)) {
    s->st.flags |= PTK_SC_CAPTURE_FULL;
    return -1;
  }
  if (len > PTK_EV_MAX_SIZE) return -1; /* for the verifier: room() already bounds it */
  __u32 at = PTK_OFF(s->st.off + PTK_CHUNK_HDR);
  __u32 flags = 0;
  if (bpf_probe_read_user(s->buf + at, len, (const void*)addr) != 0) {
    __u64 in_page = PTK_PAGE_SIZE - (addr & (PTK_PAGE_SIZE - 1));
    if (!page_ok || in_page >= len) return -1;
    len = in_page;
    if (bpf_probe_read_user(s->buf + at, len, (const void*)addr) != 0) return -1;
    flags = PTK_CHUNK_FAULT;
  }
  close_chunk(s, addr, len, flags);
  return at;
}

/* Copies the string at `addr`: at most `max` bytes, its NUL included when within them. */
static __always_inline long copy_str(__u64 addr, __u32 max) {
  struct ptk_scratch* s = get_scratch();
  if (!s || addr == 0 || max == 0) return -1;
  __u32 left = room(s);
  if (max > left) {
    s->st.flags |= PTK_SC_CAPTURE_FULL;
    max = left;
  }
  if (max == 0 || max >= PTK_EV_MAX_SIZE) return -1;
  __u32 at = PTK_OFF(s->st.off + PTK_CHUNK_HDR);
  /* The helper always ends what it copies with a NUL: one byte more tells a string of exactly
   * max bytes plus its NUL from a longer one. */
  __u64 size = max;
  barrier_var(size); /* keeps the mask below, which the verifier needs to bound the size */
  size = (size & (PTK_EV_MAX_SIZE - 1)) + 1;
  long n = bpf_probe_read_user_str(s->buf + at, size, (const void*)addr);
  if (n <= 0) return -1;
  close_chunk(s, addr, n > max ? max : (__u32)n, 0);
  return at;
}

/* A word of the tracee's ABI from the scratch area. */
static __always_inline __u64 scratch_word(struct ptk_scratch* s, __u32 at) {
  if (s->st.ws == 8) return *(__u64*)(s->buf + PTK_OFF(at));
  return *(__u32*)(s->buf + PTK_OFF(at));
}

/* --- arrays of pointers (argv, envp) --- */

struct ptr_array_loop {
  __u64 addr;
  __u32 data; /* the record offset of the array's bytes */
  __u32 n;    /* pointers read, the NULL included */
  __u32 max;  /* each string's bound (STR_ARRAY) */
  __u32 stop;
};

static long read_ptr_cb(__u32 i, void* ctx) {
  struct ptr_array_loop* l = ctx;
  struct ptk_scratch* s = get_scratch();
  if (!s) return 1;
  __u32 ws = s->st.ws;
  __u32 end = l->data + (i + 1) * ws;
  if (end > PTK_EV_MAX_SIZE) {
    s->st.flags |= PTK_SC_CAPTURE_FULL;
    return 1;
  }
  __u64 word = 0;
  __u64 from = l->addr + (__u64)i * ws;
  long err = ws == 8 ? bpf_probe_read_user(&word, 8, (const void*)from)
                     : bpf_probe_read_user(&word, 4, (const void*)from);
  if (err != 0) {
    l->stop = 1; /* the array ends in unreadable memory */
    return 1;
  }
  if (ws == 8)
    *(__u64*)(s->buf + PTK_OFF(end - 8)) = word;
  else
    *(__u32*)(s->buf + PTK_OFF(end - 4)) = (__u32)word;
  l->n = i + 1;
  return word == 0 ? 1 : 0;
}

static long copy_string_cb(__u32 i, void* ctx) {
  struct ptr_array_loop* l = ctx;
  struct ptk_scratch* s = get_scratch();
  if (!s) return 1;
  __u64 ptr = scratch_word(s, l->data + i * s->st.ws);
  if (ptr == 0) return 1;
  copy_str(ptr, l->max);
  return 0;
}

/* The NULL-terminated pointer array at `addr` (at most count_max pointers and the NULL), and
 * with strings, each string it points to. */
static __noinline int copy_ptr_array(__u64 addr, __u32 count_max, __u32 strings, __u32 max) {
  struct ptk_scratch* s = get_scratch();
  if (!s || addr == 0) return 0;
  struct ptr_array_loop l = {.addr = addr, .data = s->st.off + PTK_CHUNK_HDR, .max = max};
  bpf_loop(count_max + 1, read_ptr_cb, &l, 0);
  if (l.n == 0) return 0;
  s = get_scratch();
  if (!s) return 0;
  close_chunk(s, addr, l.n * s->st.ws, l.stop ? PTK_CHUNK_FAULT : 0);
  if (strings) bpf_loop(l.n, copy_string_cb, &l, 0);
  return 0;
}

/* --- iovecs, msghdrs, mmsghdrs --- */

struct iov_loop {
  __u32 data; /* the record offset of the iovec array */
  __u32 max;
};

static long copy_iov_cb(__u32 i, void* ctx) {
  struct iov_loop* l = ctx;
  struct ptk_scratch* s = get_scratch();
  if (!s) return 1;
  __u32 ws = s->st.ws;
  __u32 at = l->data + i * 2 * ws;
  __u64 base = scratch_word(s, at);
  __u64 len = scratch_word(s, at + ws);
  copy_mem(base, len < l->max ? len : l->max, 0);
  return 0;
}

/* `count` struct iovec at `addr`, then each element's bytes (at most `max` each). */
static __noinline int copy_iovec(__u64 addr, __u64 count, __u32 max) {
  struct ptk_scratch* s = get_scratch();
  if (!s || count == 0) return 0;
  long data = copy_mem(addr, count * 2 * s->st.ws, 0);
  if (data < 0) return 0;
  struct iov_loop l = {.data = (__u32)data, .max = max};
  bpf_loop((__u32)count, copy_iov_cb, &l, 0);
  return 0;
}

/* The parts a struct msghdr already in the record (at record offset `at`) points to. */
static __noinline int copy_msghdr_parts(__u32 at, __u32 count_max, __u32 max, __u32 ctl_max) {
  struct ptk_scratch* s = get_scratch();
  if (!s) return 0;
  __u32 ws = s->st.ws;
  /* 64-bit: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40.
   * 32-bit: name 0, namelen 4, iov 8, iovlen 12, control 16, controllen 20. */
  __u64 name = scratch_word(s, at);
  __u32 namelen = *(__u32*)(s->buf + PTK_OFF(at + ws));
  __u64 iov = scratch_word(s, at + 2 * ws);
  __u64 iovlen = scratch_word(s, at + 3 * ws);
  __u64 control = scratch_word(s, at + 4 * ws);
  __u64 controllen = scratch_word(s, at + 5 * ws);
  copy_mem(name, namelen < PTK_MSG_NAME_MAX ? namelen : PTK_MSG_NAME_MAX, 0);
  copy_iovec(iov, iovlen < count_max ? iovlen : count_max, max);
  copy_mem(control, controllen < ctl_max ? controllen : ctl_max, 0);
  return 0;
}

static __always_inline __u32 msghdr_size(__u32 ws) { return ws == 8 ? 56 : 28; }
static __always_inline __u32 mmsghdr_size(__u32 ws) { return ws == 8 ? 64 : 32; }

struct mmsg_loop {
  __u32 data;
  __u32 count_max;
  __u32 max;
  __u32 ctl_max;
};

static long copy_mmsg_cb(__u32 i, void* ctx) {
  struct mmsg_loop* l = ctx;
  struct ptk_scratch* s = get_scratch();
  if (!s) return 1;
  copy_msghdr_parts(l->data + i * mmsghdr_size(s->st.ws), l->count_max, l->max, l->ctl_max);
  return 0;
}

/* `count` struct mmsghdr at `addr` (one chunk), then what each one's msghdr points to. */
static __noinline int copy_mmsghdr(__u64 addr, __u64 count, __u32 count_max, __u32 max,
                                   __u32 ctl_max) {
  struct ptk_scratch* s = get_scratch();
  if (!s || count == 0) return 0;
  long data = copy_mem(addr, count * mmsghdr_size(s->st.ws), 0);
  if (data < 0) return 0;
  struct mmsg_loop l = {
      .data = (__u32)data, .count_max = count_max, .max = max, .ctl_max = ctl_max};
  bpf_loop((__u32)count, copy_mmsg_cb, &l, 0);
  return 0;
}

/* --- one item --- */

static __always_inline __u64 arg_of(struct ptk_scratch* s, __u8 i) {
  __u32 k = i & 7; /* masked: the verifier does not follow a remainder */
  return k < 6 ? s->st.args[k] : 0;
}

/* The item's length: bytes for BUF; an element count for the array kinds (`count`), whose
 * `size` is no element size (an MMSGHDR's is its msg_control bound). -1 when there is none. */
static __always_inline __s64 item_len(struct ptk_scratch* s, const struct ptk_cap_item* it,
                                      int count) {
  __u32 unit = count ? 1 : it->size;
  __u64 n;
  switch (it->len_rule) {
    case PTK_LEN_CONST:
      return count ? it->count_max : it->size;
    case PTK_LEN_ARG:
      n = arg_of(s, it->len_arg);
      break;
    case PTK_LEN_RET:
      if (!s->st.at_exit || s->st.ret < 0) return -1;
      n = (__u64)s->st.ret;
      break;
    case PTK_LEN_ARG_U32: {
      __u32 v = 0;
      if (bpf_probe_read_user(&v, sizeof(v), (const void*)arg_of(s, it->len_arg)) != 0) return -1;
      n = v;
      break;
    }
    default:
      return -1;
  }
  /* Bounded before multiplying: no record holds more than PTK_EV_MAX_SIZE bytes anyway. */
  if (n > PTK_EV_MAX_SIZE) n = PTK_EV_MAX_SIZE;
  return (__s64)(n * unit);
}

static __noinline int run_item(const struct ptk_cap_item* it) {
  struct ptk_scratch* s = get_scratch();
  if (!s) return 0;
  __u64 addr = arg_of(s, it->arg);
  __s64 len;
  switch (it->kind) {
    case PTK_CAP_CSTR:
      copy_str(addr, it->max);
      break;
    case PTK_CAP_BUF:
      len = item_len(s, it, 0);
      if (len > 0) copy_mem(addr, len < it->max ? len : it->max, it->flags & PTK_CAP_PAGE_OK);
      break;
    case PTK_CAP_STR_ARRAY:
    case PTK_CAP_PTR_ARRAY:
      copy_ptr_array(addr, it->count_max, it->kind == PTK_CAP_STR_ARRAY, it->max);
      break;
    case PTK_CAP_IOVEC:
      len = item_len(s, it, 1);
      if (len > 0) copy_iovec(addr, len < it->count_max ? len : it->count_max, it->max);
      break;
    case PTK_CAP_MSGHDR: {
      long data = copy_mem(addr, msghdr_size(s->st.ws), 0);
      if (data >= 0) copy_msghdr_parts((__u32)data, it->count_max, it->max, it->size);
      break;
    }
    case PTK_CAP_MMSGHDR:
      len = item_len(s, it, 1);
      if (len > 0)
        copy_mmsghdr(addr, len < it->count_max ? len : it->count_max, it->count_max, it->max,
                     it->size);
      break;
    default:
      break;
  }
  return 0;
}

#endif /* PTK_BPF_PROG_CAPTURE_H */
