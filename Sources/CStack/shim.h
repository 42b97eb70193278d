#ifndef PPL_CSTACK_SHIM_H
#define PPL_CSTACK_SHIM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* glibc declares this only under _GNU_SOURCE. */
extern int pthread_getattr_np(pthread_t thread, pthread_attr_t *attributes);

/* The lowest address of the calling thread's stack; 0 on success. */
static inline int ppl_stack_low(uintptr_t *low) {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) return -1;
  void *address = 0;
  size_t size = 0;
  int result = pthread_attr_getstack(&attributes, &address, &size);
  pthread_attr_destroy(&attributes);
  *low = (uintptr_t)address;
  return result;
}

/* An address in the caller's frame, from the compiler: never a sanitizer's fake stack
   (which a Swift local whose address is taken may live on). */
static inline uintptr_t ppl_frame_address(void) { return (uintptr_t)__builtin_frame_address(0); }

#endif
