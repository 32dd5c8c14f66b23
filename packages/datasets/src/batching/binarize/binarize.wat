;; Dynamic binarisation of uint8 images with WebAssembly SIMD (source of binarize-wasm.ts;
;; regenerate with `pnpm --filter @vae/train-node run build:wasm`).
;;
;; Row r of `rows` rows of `size` pixels: x = 1 with probability k/255 for pixel value k, using
;; 16-bit uniforms from four xoshiro128** streams (one per i32x4 lane), seeded per row. Each step
;; of the four streams gives four 32-bit words: eight 16-bit draws for eight pixels, where lane l
;; serves pixels 2l (low half) and 2l + 1 (high half). `u <= 257 k` (and k > 0) has probability
;; (257 k + 1) / 65536 = k/255 to within 2^-16, the same rule as ceil(k/255 * 65536) > u.
;;
;; Layout (byte offsets, all 16-byte aligned):
;;   seeds: rows x 16 u32, word i of lane l of row r at seeds + 64 r + 16 i + 4 l
;;   src:   rows x size u8 pixels, then at least 8 bytes of slack (read, ignored)
;;   dst:   rows x size f32 (0 or 1), then at least 8 floats of slack (written, ignored)
;; A row whose size is not a multiple of 8 spills up to 7 values into the next row's place; rows
;; are written in order, so the next row overwrites them.
(module
  (memory (export "memory") 1)

  (func (export "binarize")
    (param $seeds i32) (param $src i32) (param $dst i32) (param $rows i32) (param $size i32)
    (local $r i32) (local $j i32) (local $in i32) (local $out i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t v128)
    (local $u v128) (local $k v128) (local $m v128)
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s0 (v128.load offset=0 (local.get $seeds)))
        (local.set $s1 (v128.load offset=16 (local.get $seeds)))
        (local.set $s2 (v128.load offset=32 (local.get $seeds)))
        (local.set $s3 (v128.load offset=48 (local.get $seeds)))
        (local.set $in (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $size))))
        (local.set $out (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $size)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $pixels_done
          (loop $pixel
            (br_if $pixels_done (i32.ge_u (local.get $j) (local.get $size)))
            ;; xoshiro128**: output rotl(s1 * 5, 7) * 9, then advance the state
            ;; (rotations written out: a helper function call costs 3x in V8's code)
            (local.set $t (i32x4.mul (local.get $s1) (i32x4.splat (i32.const 5))))
            (local.set $u
              (i32x4.mul
                (v128.or (i32x4.shl (local.get $t) (i32.const 7)) (i32x4.shr_u (local.get $t) (i32.const 25)))
                (i32x4.splat (i32.const 9))))
            (local.set $t (i32x4.shl (local.get $s1) (i32.const 9)))
            (local.set $s2 (v128.xor (local.get $s2) (local.get $s0)))
            (local.set $s3 (v128.xor (local.get $s3) (local.get $s1)))
            (local.set $s1 (v128.xor (local.get $s1) (local.get $s2)))
            (local.set $s0 (v128.xor (local.get $s0) (local.get $s3)))
            (local.set $s2 (v128.xor (local.get $s2) (local.get $t)))
            (local.set $s3
              (v128.or (i32x4.shl (local.get $s3) (i32.const 11)) (i32x4.shr_u (local.get $s3) (i32.const 21))))
            ;; eight pixels as u16 lanes; x = (u <= 257 k) and (k != 0)
            (local.set $k (v128.load8x8_u (i32.add (local.get $in) (local.get $j))))
            (local.set $m
              (v128.and
                (i16x8.le_u (local.get $u) (i16x8.mul (local.get $k) (i16x8.splat (i32.const 257))))
                (i16x8.ne (local.get $k) (v128.const i16x8 0 0 0 0 0 0 0 0))))
            ;; all-ones lanes become 1.0f (0x3f800000), zero lanes 0.0f
            (v128.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
              (v128.and (i32x4.extend_low_i16x8_s (local.get $m)) (i32x4.splat (i32.const 0x3f800000))))
            (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
              (v128.and (i32x4.extend_high_i16x8_s (local.get $m)) (i32x4.splat (i32.const 0x3f800000))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $pixel)))
        (local.set $seeds (i32.add (local.get $seeds) (i32.const 64)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
