;; out = a op b (op: 0 add, 1 subtract, 2 multiply) for float32 tensors broadcast against each other, on data in the
;; memory of tfjs' wasm backend, one thread. The caller folds the shapes into at most four axes [d0, d1, d2, d3] and
;; gives each operand's byte strides along them (0 where it is broadcast; along d3 only 0 or 4). Rows along d3 are
;; done four floats at a time, with a broadcast operand splatted. Every pointer is a byte offset into the memory.
(module
  (import "env" "memory" MEMORY)

  ;; x op y for four floats
  (func $op4 (param $op i32) (param $x v128) (param $y v128) (result v128)
    (if (result v128) (i32.eqz (local.get $op))
      (then (f32x4.add (local.get $x) (local.get $y)))
      (else (if (result v128) (i32.eq (local.get $op) (i32.const 1))
        (then (f32x4.sub (local.get $x) (local.get $y)))
        (else (f32x4.mul (local.get $x) (local.get $y)))))))

  ;; one row of n floats: out[i] = a[i sa] op b[i sb] with sa, sb in {0, 4} bytes
  (func $row (param $op i32) (param $a i32) (param $b i32) (param $o i32) (param $n i32) (param $sa i32) (param $sb i32)
    (local $i i32) (local $quad i32) (local $x v128) (local $y v128)
    (local.set $quad (i32.and (local.get $n) (i32.const -4)))
    (local.set $x (v128.load32_splat (local.get $a)))
    (local.set $y (v128.load32_splat (local.get $b)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $quad)))
      (if (local.get $sa) (then (local.set $x (v128.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))))
      (if (local.get $sb) (then (local.set $y (v128.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))))))
      (v128.store (i32.add (local.get $o) (i32.shl (local.get $i) (i32.const 2))) (call $op4 (local.get $op) (local.get $x) (local.get $y)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $each)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (v128.store32_lane 0 (i32.add (local.get $o) (i32.shl (local.get $i) (i32.const 2)))
        (call $op4 (local.get $op)
          (v128.load32_splat (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sa))))
          (v128.load32_splat (i32.add (local.get $b) (i32.mul (local.get $i) (local.get $sb))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
  )

  ;; dims points at 12 int32: d0 d1 d2 d3, a's byte strides along them, b's byte strides along them. out [d0 d1 d2 d3].
  (func (export "binary") (param $op i32) (param $a i32) (param $b i32) (param $out i32) (param $dims i32)
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
            (local.get $o) (local.get $d3) (i32.load offset=28 (local.get $dims)) (i32.load offset=44 (local.get $dims)))
          (local.set $o (i32.add (local.get $o) (local.get $rowBytes)))
          (local.set $i2 (i32.add (local.get $i2) (i32.const 1)))
          (br $each2)))
        (local.set $i1 (i32.add (local.get $i1) (i32.const 1)))
        (br $each1)))
      (local.set $i0 (i32.add (local.get $i0) (i32.const 1)))
      (br $each0)))
  )
)
