// The article's example 5 tracee: a tiny program without libc that writes one line, then runs
// a loop whose instruction count is known exactly, then exits 0. The same code for both x86 ABIs
// (aarch64's counterpart below has the same counts: mov w1; add, subs, b.ne; mov x8, mov x0, svc):
//
//   _start:      write(1, message, 23)      syscall (x86_64) or int $0x80 (i386)
//   count_loop:  mov $1000, %ecx            1 instruction
//   1:           add %ecx, %edx             | 3 instructions,
//                dec %ecx                   | 1000 times
//                jnz 1b                     |
//   exit_now:    mov $EXIT, %eax            1
//                xor %edi, %edi (%ebx)      1
//                syscall / int $0x80        1 (the exit: the last instruction executed)
//
// From the exit of the write to the end of the process: 1 + 3 * 1000 + 3 = 3004 instructions
// (kCountLoopSteps in the tests). The first of them is the `mov` at count_loop.
__asm__(
    ".section .rodata\n"
    "message:\n"
    "  .ascii \"counting 3004 steps...\\n\"\n"
    "  .set message_len, . - message\n"
    ".text\n"
    ".globl _start\n"
    ".type _start, @function\n"
    "_start:\n"
#if defined(__aarch64__)
    "  mov x8, #64\n"  // write
    "  mov x0, #1\n"
    "  adrp x1, message\n"
    "  add x1, x1, :lo12:message\n"
    "  mov x2, #message_len\n"
    "  svc #0\n"
#elif defined(__x86_64__)
    "  mov $1, %eax\n"  // write
    "  mov $1, %edi\n"
    "  lea message(%rip), %rsi\n"
    "  mov $message_len, %edx\n"
    "  syscall\n"
#else
    "  mov $4, %eax\n"  // write
    "  mov $1, %ebx\n"
    "  mov $message, %ecx\n"
    "  mov $message_len, %edx\n"
    "  int $0x80\n"
#endif
    ".size _start, . - _start\n"
    ".globl count_loop\n"
    ".type count_loop, @function\n"
    "count_loop:\n"
#if defined(__aarch64__)
    "  mov w1, #1000\n"
    "1:\n"
    "  add w2, w2, w1\n"
    "  subs w1, w1, #1\n"
    "  b.ne 1b\n"
#else
    "  mov $1000, %ecx\n"
    "1:\n"
    "  add %ecx, %edx\n"
    "  dec %ecx\n"
    "  jnz 1b\n"
#endif
    ".size count_loop, . - count_loop\n"
    ".globl exit_now\n"
    ".type exit_now, @function\n"
    "exit_now:\n"
#if defined(__aarch64__)
    "  mov x8, #93\n"  // exit
    "  mov x0, #0\n"
    "  svc #0\n"
#elif defined(__x86_64__)
    "  mov $60, %eax\n"  // exit
    "  xor %edi, %edi\n"
    "  syscall\n"
#else
    "  mov $1, %eax\n"  // exit
    "  xor %ebx, %ebx\n"
    "  int $0x80\n"
#endif
    ".size exit_now, . - exit_now\n");
