/* rng.h: a small seedable random number generator (xoshiro256** seeded through splitmix64).
 *
 * The engine never calls rand() or reads the clock: every function that needs randomness takes
 * an `rng *`, so the same seed and inputs give the same choices on every machine (the
 * generator uses only 64-bit integer arithmetic; the doubles it makes are exact). An rng is
 * plain data owned by its caller; one thread at a time. */
#ifndef VIVA_RNG_H
#define VIVA_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} rng;

/* Seed the generator; any seed (0 included) gives a usable state. */
void rng_seed(rng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t rng_next(rng *r);
/* Uniform double in [0, 1), 53 random bits. */
double rng_uniform(rng *r);
/* Uniform integer in [0, n), without modulo bias; n must be > 0. */
uint32_t rng_below(rng *r, uint32_t n);
/* Standard normal deviate (Box-Muller; uses two uniforms per call). */
double rng_normal(rng *r);

#endif
