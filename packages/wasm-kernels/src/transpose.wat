;; out = in^T for a float32 matrix in [rows, cols] -> out [cols, rows], on data in the memory of tfjs' wasm backend:
;; 4 x 4 blocks moved through registers with shuffles (tfjs-wasm's own Transpose goes one float at a time), the
;; edges one float at a time. Every pointer is a byte offset into the imported memory.
(module
  (import "env" "memory" MEMORY)

  (func (export "transpose") (param $in i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $rT i32) (local $rEnd i32) (local $c i32) (local $r4 i32) (local $c4 i32) (local $colBytes i32) (local $rowBytes i32)
    (local $src i32) (local $dst i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $colBytes (i32.shl (local.get $cols) (i32.const 2)))   ;; bytes in an input row
    (local.set $rowBytes (i32.shl (local.get $rows) (i32.const 2)))   ;; bytes in an output row
    ;; whole 4 x 4 blocks, 16 input rows at a time, so each 64-byte piece of an output row is written at once
    (block $doneT (loop $eachT
      (br_if $doneT (i32.ge_u (local.get $rT) (local.get $r4)))
      (local.set $rEnd (select (i32.add (local.get $rT) (i32.const 16)) (local.get $r4)
        (i32.lt_u (i32.add (local.get $rT) (i32.const 16)) (local.get $r4))))
      (local.set $c (i32.const 0))
      (block $doneC (loop $eachC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $c4)))
        (local.set $r (local.get $rT))
        (block $doneR (loop $eachR
          (br_if $doneR (i32.ge_u (local.get $r) (local.get $rEnd)))
          (local.set $src (i32.add (i32.add (local.get $in) (i32.mul (local.get $r) (local.get $colBytes))) (i32.shl (local.get $c) (i32.const 2))))
          (local.set $v0 (v128.load (local.get $src)))
          (local.set $v1 (v128.load (i32.add (local.get $src) (local.get $colBytes))))
          (local.set $v2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $colBytes) (i32.const 1)))))
          (local.set $v3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $colBytes) (i32.const 3)))))
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
          (local.set $dst (i32.add (i32.add (local.get $out) (i32.mul (local.get $c) (local.get $rowBytes))) (i32.shl (local.get $r) (i32.const 2))))
          (v128.store (local.get $dst)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $dst) (local.get $rowBytes))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $dst) (i32.shl (local.get $rowBytes) (i32.const 1)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (v128.store (i32.add (local.get $dst) (i32.mul (local.get $rowBytes) (i32.const 3)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (local.set $r (i32.add (local.get $r) (i32.const 4)))
          (br $eachR)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $eachC)))
      (local.set $rT (local.get $rEnd))
      (br $eachT)))
    ;; the last cols % 4 columns of those rows, then the last rows % 4 rows, one float at a time
    (local.set $r (i32.const 0))
    (block $doneR (loop $eachR
      (br_if $doneR (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (select (local.get $c4) (i32.const 0) (i32.lt_u (local.get $r) (local.get $r4))))
      (block $doneC (loop $eachC
        (br_if $doneC (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $eachC)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachR)))
  )
)
