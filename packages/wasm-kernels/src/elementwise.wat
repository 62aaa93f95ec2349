;; out = a op b (op: 0 add, 1 subtract, 2 multiply) for float32 tensors broadcast against each other, on data in the
;; memory of tfjs' wasm backend, one thread. The caller folds the shapes into at most four axes [d0, d1, d2, d3] and
;; gives each operand's byte strides along them (0 where it is broadcast; along d3 only 0 or 4). Rows along d3 are
;; done four floats at a time, a broadcast operand read as four copies of its float. Every pointer is a byte offset into the memory.
(module
  (import "env" "memory" MEMORY)

  ;; one row of n floats: out[i] = a[i sa] op b[i sb] with sa, sb in {0, 4} bytes. A broadcast operand (stride 0) is
  ;; read from scratch (32 bytes), where its float is written four times, so every quad is two loads, one op, one store.
  (func $row (param $op i32) (param $a i32) (param $b i32) (param $o i32) (param $n i32) (param $sa i32) (param $sb i32)
    (param $scratch i32)
    (local $end i32) (local $da i32) (local $db i32) (local $x f32) (local $y f32)
    (if (i32.eqz (local.get $sa)) (then
      (v128.store (local.get $scratch) (v128.load32_splat (local.get $a)))
      (local.set $a (local.get $scratch))))
    (if (i32.eqz (local.get $sb)) (then
      (v128.store offset=16 (local.get $scratch) (v128.load32_splat (local.get $b)))
      (local.set $b (i32.add (local.get $scratch) (i32.const 16)))))
    (local.set $da (i32.shl (local.get $sa) (i32.const 2)))
    (local.set $db (i32.shl (local.get $sb) (i32.const 2)))
    (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (if (i32.eqz (local.get $op))
      (then (block $done (loop $each
          (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
          (v128.store (local.get $o) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
          (local.set $a (i32.add (local.get $a) (local.get $da)))
          (local.set $b (i32.add (local.get $b) (local.get $db)))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $each))))
      (else (if (i32.eq (local.get $op) (i32.const 1))
        (then (block $done (loop $each
          (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
          (v128.store (local.get $o) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
          (local.set $a (i32.add (local.get $a) (local.get $da)))
          (local.set $b (i32.add (local.get $b) (local.get $db)))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $each))))
        (else (block $done (loop $each
          (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
          (v128.store (local.get $o) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
          (local.set $a (i32.add (local.get $a) (local.get $da)))
          (local.set $b (i32.add (local.get $b) (local.get $db)))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $each)))))))
    ;; the last n mod 4 floats
    (local.set $end (i32.add (local.get $o) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
      (local.set $x (f32.load (local.get $a)))
      (local.set $y (f32.load (local.get $b)))
      (f32.store (local.get $o)
        (if (result f32) (i32.eqz (local.get $op)) (then (f32.add (local.get $x) (local.get $y)))
          (else (if (result f32) (i32.eq (local.get $op) (i32.const 1)) (then (f32.sub (local.get $x) (local.get $y)))
            (else (f32.mul (local.get $x) (local.get $y)))))))
      (local.set $a (i32.add (local.get $a) (local.get $sa)))
      (local.set $b (i32.add (local.get $b) (local.get $sb)))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $each)))
  )

  ;; dims points at 12 int32: d0 d1 d2 d3, a's byte strides along them, b's byte strides along them. out [d0 d1 d2 d3].
  ;; scratch: 32 bytes.
  (func (export "binary") (param $op i32) (param $a i32) (param $b i32) (param $out i32) (param $dims i32) (param $scratch i32)
    (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $o i32) (local $rowBytes i32)
    (local.set $d0 (i32.load (local.get $dims)))
    (local.set $d1 (i32.load offset=4 (local.get $dims)))
    (local.set $d2 (i32.load offset=8 (local.get $dims)))
    (local.set $d3 (i32.load offset=12 (local.get $dims)))
    (local.set $rowBytes (i32.shl (local.get $d3) (i32.const 2)))
    (local.set $o (local.get $out))
    (block $done0 (loop $each0
      (br_if $done0 (i32.ge_u (local.get $i0) (local.get $d0)))
      (local.set $i1 (i32.const 0))
      (block $done1 (loop $each1
        (br_if $done1 (i32.ge_u (local.get $i1) (local.get $d1)))
        (local.set $i2 (i32.const 0))
        (block $done2 (loop $each2
          (br_if $done2 (i32.ge_u (local.get $i2) (local.get $d2)))
          (call $row (local.get $op)
            (i32.add (local.get $a) (i32.add (i32.add
              (i32.mul (local.get $i0) (i32.load offset=16 (local.get $dims)))
              (i32.mul (local.get $i1) (i32.load offset=20 (local.get $dims))))
              (i32.mul (local.get $i2) (i32.load offset=24 (local.get $dims)))))
            (i32.add (local.get $b) (i32.add (i32.add
              (i32.mul (local.get $i0) (i32.load offset=32 (local.get $dims)))
              (i32.mul (local.get $i1) (i32.load offset=36 (local.get $dims))))
              (i32.mul (local.get $i2) (i32.load offset=40 (local.get $dims)))))
            (local.get $o) (local.get $d3) (i32.load offset=28 (local.get $dims)) (i32.load offset=44 (local.get $dims))
            (local.get $scratch))
          (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
          (local.set $i2 (i32.add (local.get $i2) (i32.const 1)))
          (br $each2)))
        (local.set $i1 (i32.add (local.get $i1) (i32.const 1)))
        (br $each1)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 1)))
      (br $each0)))
  )
)
