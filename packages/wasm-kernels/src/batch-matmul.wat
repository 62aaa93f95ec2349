;; c[i] = op(a[i]) @ op(b[i]) for every i < batch: many small float32 products, such as attention's per-head
;; [pos, d_head] @ [d_head, pos], on data in the memory of tfjs' wasm backend. op transposes a matrix when its flag is
;; set, so a product's gradients need no transpose of their own. tfjs-wasm sends a batch of more than one product to a
;; plain scalar loop; here each row of c is built in 128-bit registers, 16 columns at a time. Rows are written in
;; order, so a block that runs past its row's end (n not a multiple of 16) is stored whole: what spills over lands in
;; the next row, before that row is written; only a block that would pass the end of c goes through a 16-float edge
;; buffer. Every pointer is a byte offset into the imported memory.
;;
;; Shapes (row major): a [batch, m, k], or [batch, k, m] when transA; b [batch, k, n], or [batch, n, k] when transB;
;; c [batch, m, n]. Scratch (16-byte aligned): k * nPad + 16 floats, nPad = n rounded up to a multiple of 4.
(module
  (import "env" "memory" MEMORY)

  ;; Writes the first `count` floats of the 16 at `from` to `to` (an edge of a row of c).
  (func $copyEdge (param $from i32) (param $to i32) (param $count i32)
    (local $t i32)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $t) (local.get $count)))
      (f32.store (i32.add (local.get $to) (i32.shl (local.get $t) (i32.const 2)))
        (f32.load (i32.add (local.get $from) (i32.shl (local.get $t) (i32.const 2)))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $each)))
  )

  ;; packed [k, nPad] = op(b) with zero columns from n to nPad, one float at a time.
  (func $pack (param $b i32) (param $k i32) (param $n i32) (param $nPad i32) (param $transB i32) (param $packed i32)
    (local $p i32) (local $j i32) (local $at i32)
    (block $doneP (loop $eachP
      (br_if $doneP (i32.ge_u (local.get $p) (local.get $k)))
      (local.set $j (i32.const 0))
      (block $doneJ (loop $eachJ
        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $nPad)))
        (local.set $at (i32.add (local.get $packed) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $nPad)) (local.get $j)) (i32.const 2))))
        (if (i32.ge_u (local.get $j) (local.get $n))
          (then (f32.store (local.get $at) (f32.const 0)))
          (else (f32.store (local.get $at) (f32.load (i32.add (local.get $b) (i32.shl
            (select
              (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $p))   ;; b [n, k]: b[j, p]
              (i32.add (i32.mul (local.get $p) (local.get $n)) (local.get $j))   ;; b [k, n]: b[p, j]
              (local.get $transB))
            (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $eachJ)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $eachP)))
  )

  (func (export "batchMatMul")
    (param $a i32) (param $b i32) (param $c i32) (param $batch i32) (param $m i32) (param $k i32) (param $n i32)
    (param $transA i32) (param $transB i32) (param $scratch i32)
    (local $nPad i32) (local $rowBytes i32) (local $packed i32) (local $edge i32)
    (local $aStep i32) (local $aRowStep i32) (local $aBatch i32) (local $bBatch i32) (local $cBatch i32)
    (local $bi i32) (local $i i32) (local $j i32) (local $p i32) (local $ap i32) (local $bp i32) (local $cRow i32)
    (local $s v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $cEnd i32)
    ;; where c ends: a block of a row may spill past the row's end into rows written later, but not past c
    (local.set $cEnd (i32.add (local.get $c) (i32.shl (i32.mul (local.get $batch) (i32.mul (local.get $m) (local.get $n))) (i32.const 2))))
    (local.set $nPad (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)))
    (local.set $rowBytes (i32.shl (local.get $nPad) (i32.const 2)))           ;; bytes in a row of the packed b
    (local.set $edge (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $k) (local.get $nPad)) (i32.const 2))))
    ;; a(i, p) lies at aRow(i) + p * aStep, aRow(i) = a + i * aRowStep
    (local.set $aStep (select (i32.shl (local.get $m) (i32.const 2)) (i32.const 4) (local.get $transA)))
    (local.set $aRowStep (select (i32.const 4) (i32.shl (local.get $k) (i32.const 2)) (local.get $transA)))
    (local.set $aBatch (i32.shl (i32.mul (local.get $m) (local.get $k)) (i32.const 2)))
    (local.set $bBatch (i32.shl (i32.mul (local.get $k) (local.get $n)) (i32.const 2)))
    (local.set $cBatch (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    (block $doneB (loop $eachB
      (br_if $doneB (i32.ge_u (local.get $bi) (local.get $batch)))
      ;; b as [k, nPad]: in place where it already is one, else packed into the scratch
      (if (i32.and (i32.eqz (local.get $transB)) (i32.eq (local.get $n) (local.get $nPad)))
        (then (local.set $packed (local.get $b)))
        (else
          (call $pack (local.get $b) (local.get $k) (local.get $n) (local.get $nPad) (local.get $transB) (local.get $scratch))
          (local.set $packed (local.get $scratch))))
      (local.set $i (i32.const 0))
      (block $doneI (loop $eachI
        (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $cRow (i32.add (local.get $c) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $j (i32.const 0))
        ;; 16 columns at a time: four accumulators, one broadcast a(i, p) per step of p
        (block $doneJ16 (loop $eachJ16
          (br_if $doneJ16 (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $nPad)))
          (local.set $acc0 (v128.const i32x4 0 0 0 0))
          (local.set $acc1 (v128.const i32x4 0 0 0 0))
          (local.set $acc2 (v128.const i32x4 0 0 0 0))
          (local.set $acc3 (v128.const i32x4 0 0 0 0))
          (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowStep))))
          (local.set $bp (i32.add (local.get $packed) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (i32.const 0))
          (block $doneP (loop $eachP
            (br_if $doneP (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $s (f32x4.splat (f32.load (local.get $ap))))
            (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $s) (v128.load (local.get $bp)))))
            (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $bp)))))
            (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $bp)))))
            (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $bp)))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aStep)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $eachP)))
          (local.set $bp (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 2))))
          (if (i32.le_u (i32.add (local.get $bp) (i32.const 64)) (local.get $cEnd))
            (then
              (v128.store (local.get $bp) (local.get $acc0))
              (v128.store offset=16 (local.get $bp) (local.get $acc1))
              (v128.store offset=32 (local.get $bp) (local.get $acc2))
              (v128.store offset=48 (local.get $bp) (local.get $acc3)))
            (else
              (v128.store (local.get $edge) (local.get $acc0))
              (v128.store offset=16 (local.get $edge) (local.get $acc1))
              (v128.store offset=32 (local.get $edge) (local.get $acc2))
              (v128.store offset=48 (local.get $edge) (local.get $acc3))
              (call $copyEdge (local.get $edge) (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 2)))
                (i32.sub (local.get $n) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $eachJ16)))
        ;; the last nPad % 16 columns, 4 at a time
        (block $doneJ4 (loop $eachJ4
          (br_if $doneJ4 (i32.ge_u (local.get $j) (local.get $nPad)))
          (local.set $acc0 (v128.const i32x4 0 0 0 0))
          (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowStep))))
          (local.set $bp (i32.add (local.get $packed) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (i32.const 0))
          (block $doneP (loop $eachP
            (br_if $doneP (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (f32x4.splat (f32.load (local.get $ap))) (v128.load (local.get $bp)))))
            (local.set $ap (i32.add (local.get $ap) (local.get $aStep)))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowBytes)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $eachP)))
          (if (i32.le_u (i32.add (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 2))) (i32.const 16)) (local.get $cEnd))
            (then (v128.store (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc0)))
            (else
              (v128.store (local.get $edge) (local.get $acc0))
              (call $copyEdge (local.get $edge) (i32.add (local.get $cRow) (i32.shl (local.get $j) (i32.const 2)))
                (i32.sub (local.get $n) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $eachJ4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $eachI)))
      (local.set $a (i32.add (local.get $a) (local.get $aBatch)))
      (local.set $b (i32.add (local.get $b) (local.get $bBatch)))
      (local.set $c (i32.add (local.get $c) (local.get $cBatch)))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $eachB)))
  )
)
