;; Block copies between 4-byte matrices (float32 or int32) in the memory of tfjs' wasm backend: the rows of a
;; [rows, cols] block, `srcStride` and `dstStride` elements apart, one memory.copy a row. Slicing and concatenating
;; matrices are such copies; tfjs-wasm's own Slice first copies its whole input out to JavaScript. Gathering a
;; table's rows by index is one copy a row too, where tfjs-wasm's Gather computes each float's address on its own.
(module
  (import "env" "memory" MEMORY)

  (func (export "copyBlock")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    ;; one copy when both sides are contiguous
    (if (i32.and (i32.eq (local.get $srcStride) (local.get $cols)) (i32.eq (local.get $dstStride) (local.get $cols))) (then
      (memory.copy (local.get $dst) (local.get $src) (i32.mul (local.get $bytes) (local.get $rows)))
      (return)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (memory.copy
        (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $dstStride)) (i32.const 2)))
        (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $srcStride)) (i32.const 2)))
        (local.get $bytes))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each)))
  )

  ;; out[i] = table[indices[i]] for i < count, rows of `width` elements; indices int32, checked by the caller.
  (func (export "gatherRows") (param $table i32) (param $width i32) (param $indices i32) (param $count i32) (param $out i32)
    (local $i i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $width) (i32.const 2)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (memory.copy
        (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $bytes)))
        (i32.add (local.get $table) (i32.mul (i32.load (i32.add (local.get $indices) (i32.shl (local.get $i) (i32.const 2)))) (local.get $bytes)))
        (local.get $bytes))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
  )
)
