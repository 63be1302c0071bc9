package io.fleetpulse.model;

/**
 * Counter-based randomness: every random value is a hash of (seed, purpose, entity, time), never the next
 * value of a shared generator. That is what makes a sample a pure function of (seed, chip, time): any process
 * can compute any chip at any time, in any order, and get the same bits.
 */
public final class Rng {

  /** Purposes, so that two draws about the same entity and time are independent. */
  public static final long PHASE = 1, CHIP_TICK = 2, JOB_NOISE = 3, US_NOISE = 4, CHECKPOINT = 6, STRAGGLER = 7,
      SILENT = 8, SILENT_START = 9, ECC_BURST = 10, ECC_UNCORRECTED = 11, DRIVER_RELOAD = 12, POWER_CAP = 13,
      POWER_CAP_START = 14, WIND = 15, JOB_SIZE = 16, ECC_RATE = 18, TENANT = 19;

  /** Salts that derive the power and HBM noise of a chip-tick from its one hash. */
  static final long POWER_SALT = 0x6A09E667F3BCC909L, HBM_SALT = 0xBB67AE8584CAA73BL;

  private Rng() {}

  /** SplitMix64's finalizer: a bijective 64-bit mix with good avalanche. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static long hash(long seed, long purpose, long a, long b) {
    return hash(prefix(seed, purpose), a, b);
  }

  /** The part of {@link #hash(long, long, long, long)} that depends only on seed and purpose. */
  public static long prefix(long seed, long purpose) {
    return mix(seed * 0x9E3779B97F4A7C15L + purpose);
  }

  /** Same bits as {@code hash(seed, purpose, a, b)} when {@code prefix == prefix(seed, purpose)}. */
  public static long hash(long prefix, long a, long b) {
    long h = mix(prefix ^ (a * 0xC2B2AE3D27D4EB4FL));
    return mix(h ^ (b * 0x165667B19E3779F9L + 0x27D4EB2F165667C5L));
  }

  /** Uniform in [0, 1). */
  public static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  /**
   * Approximately standard normal: the sum of the hash's four 16-bit quarters, centred and scaled (Irwin-Hall,
   * n=4). Bounded by +-3.46, which suits physical noise; one hash instead of Box-Muller's log, sqrt and cos.
   */
  public static double gaussian(long h) {
    long a = h & 0xFFFF, b = (h >>> 16) & 0xFFFF, c = (h >>> 32) & 0xFFFF, d = h >>> 48;
    return ((a + b + c + d) / 65536.0 - 2.0) * 1.7320508075688772;
  }
}
