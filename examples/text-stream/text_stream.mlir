// A character-level model that learns as it predicts (one step per byte).
//
// Inputs of a step (prepared by the driver, text_features.h):
//   %ctx_idx, %ctx_val  sparse context features, one slot per feature kind
//                       (orders 0..6, current word, previous + current word,
//                       column and byte above). Slot j indexes rows in its
//                       own band of @readout, so the indices are ascending
//                       and distinct; value 1 (present) or 0 (not yet).
//   %key_idx, %key_val  sparse memory key: the hashed contexts of orders
//                       5, 7, 9, 12, 16, 24 as columns of @memory (ascending,
//                       distinct), value 1/sqrt(6) (0 for padding columns)
//   %next               the byte that follows, used only to learn after the
//                       prediction is made
// Output: the logits of the next byte, computed before learning from it.
//
// Prediction:
//   r       = @memory key                                       (mem_read)
//   score   = @byte_code r     (similarity of the recalled code to each byte)
//   b, s    = argmax, max of score                            (kwta k = 1)
//   level   = clamp(floor(6 s), 0, 7)               (strength of the recall)
//   rows    = ctx_idx ++ [63488 + 8 b + level]     (slot 10: the recalled
//             byte at that strength, in the top 2048 rows of @readout)
//   n_j     = @seen[rows_j]                       times row j was active
//   x_j     = val_j * max(1/sqrt(n_j + 1), 0.3)   count-adaptive input
//   m_j     = @mix[8 j + (j < 10 ? min(floor(log2(n_j + 1)), 7) : level)]
//                                                 learned mixing gain
//   logits  = sum_j m_j x_j @readout[rows_j]                 (sparse_matvec)
//           + @recall_gain[level] * score
// Learning (local rules; the plasticity scales every update):
//   @readout      softmax-delta on the 11 active rows, rate normalized by
//                 sum_j x_j^2 (modulator)
//   @mix          Hebbian rows, post = x_j @readout[rows_j] . (t - p), the
//                 gradient of log p(next) with respect to m_j
//   @recall_gain  Hebbian row, post = score . (t - p)
//   @seen         +val_j on the active rows
//   @memory       delta-rule write (gamma = 1) of the next byte's code under
//                 the key: the memory recalls the byte that followed the
//                 latest occurrence of a similar long context

ml_program.global private mutable @readout(dense<0.0> : tensor<65536x256xf32>) : tensor<65536x256xf32>
ml_program.global private mutable @seen(dense<0.0> : tensor<65536x1xf32>) : tensor<65536x1xf32>
ml_program.global private mutable @mix(dense<1.0> : tensor<88x1xf32>) : tensor<88x1xf32>
ml_program.global private mutable @memory(dense<0.0> : tensor<32x131072xf32>) : tensor<32x131072xf32>
ml_program.global private @byte_code(#anima.random_normal<seed = 7, mean = 0.0, stddev = 0.1767767>) : tensor<256x32xf32>
ml_program.global private mutable @recall_gain(dense<0.0> : tensor<8x1xf32>) : tensor<8x1xf32>

func.func @step(%ctx_idx: tensor<10xi32>, %ctx_val: tensor<10xf32>,
                %key_idx: tensor<6xi32>, %key_val: tensor<6xf32>,
                %next: tensor<1xi32>) -> tensor<256xf32> {
  %W = ml_program.global_load @readout : tensor<65536x256xf32>
  %N = ml_program.global_load @seen : tensor<65536x1xf32>
  %X = ml_program.global_load @mix : tensor<88x1xf32>
  %S = ml_program.global_load @memory : tensor<32x131072xf32>
  %E = ml_program.global_load_const @byte_code : tensor<256x32xf32>
  %G = ml_program.global_load @recall_gain : tensor<8x1xf32>

  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %onef = arith.constant 1.0 : f32
  %one = arith.constant dense<1.0> : tensor<1xf32>

  // ---- Memory: recall the byte that followed similar long contexts. -------
  %r = anima.mem_read %S, %key_val[%key_idx : tensor<6xi32>]
      : tensor<32x131072xf32>, tensor<6xf32>
  %v0 = tensor.empty() : tensor<256xf32>
  %vzero = linalg.fill ins(%zero : f32) outs(%v0 : tensor<256xf32>) -> tensor<256xf32>
  %score = linalg.matvec ins(%E, %r : tensor<256x32xf32>, tensor<32xf32>)
      outs(%vzero : tensor<256xf32>) -> tensor<256xf32>
  %best, %strength = anima.kwta %score, k = 1, value : tensor<256xf32>
  %six = arith.constant dense<6.0> : tensor<1xf32>
  %s6 = arith.mulf %strength, %six : tensor<1xf32>
  %si = arith.fptosi %s6 : tensor<1xf32> to tensor<1xi32>
  %i0 = arith.constant dense<0> : tensor<1xi32>
  %i7 = arith.constant dense<7> : tensor<1xi32>
  %i8 = arith.constant dense<8> : tensor<1xi32>
  %sl = arith.maxsi %si, %i0 : tensor<1xi32>
  %level = arith.minsi %sl, %i7 : tensor<1xi32>
  %best8 = arith.muli %best, %i8 : tensor<1xi32>
  %recall_base = arith.constant dense<63488> : tensor<1xi32>
  %rb = arith.addi %recall_base, %best8 : tensor<1xi32>
  %recall_row = arith.addi %rb, %level : tensor<1xi32>

  // ---- Active rows: the context features and the recalled byte. -----------
  %rows = tensor.concat dim(0) %ctx_idx, %recall_row
      : (tensor<10xi32>, tensor<1xi32>) -> tensor<11xi32>
  %val = tensor.concat dim(0) %ctx_val, %one
      : (tensor<10xf32>, tensor<1xf32>) -> tensor<11xf32>

  // Count-adaptive inputs: x = val * max(1/sqrt(n + 1), 0.3).
  %ones = arith.constant dense<1.0> : tensor<11xf32>
  %floor = arith.constant dense<0.3> : tensor<11xf32>
  %n = anima.gather_matvec %N[%rows], %one
      : tensor<65536x1xf32>, tensor<11xi32>, tensor<1xf32>
  %n1 = arith.addf %n, %ones : tensor<11xf32>
  %rs = math.rsqrt %n1 : tensor<11xf32>
  %rsf = arith.maximumf %rs, %floor : tensor<11xf32>
  %x = arith.mulf %rsf, %val : tensor<11xf32>

  // Mixing gains: per slot, by confidence (log2 of the count; the recall
  // slot by recall strength).
  %lg = math.log2 %n1 : tensor<11xf32>
  %lgi = arith.fptosi %lg : tensor<11xf32> to tensor<11xi32>
  %lgc = tensor.extract_slice %lgi[0] [10] [1] : tensor<11xi32> to tensor<10xi32>
  %b7 = arith.constant dense<7> : tensor<10xi32>
  %conf = arith.minsi %lgc, %b7 : tensor<10xi32>
  %sel = tensor.concat dim(0) %conf, %level
      : (tensor<10xi32>, tensor<1xi32>) -> tensor<11xi32>
  %slot_base = arith.constant dense<[0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80]> : tensor<11xi32>
  %mix_row = arith.addi %slot_base, %sel : tensor<11xi32>
  %m = anima.gather_matvec %X[%mix_row], %one
      : tensor<88x1xf32>, tensor<11xi32>, tensor<1xf32>
  %xm = arith.mulf %x, %m : tensor<11xf32>

  %y_rows = anima.sparse_matvec %W[%rows], %xm
      : tensor<65536x256xf32>, tensor<11xi32>, tensor<11xf32>
  %g = anima.gather_matvec %G[%level], %one
      : tensor<8x1xf32>, tensor<1xi32>, tensor<1xf32>
  %gain = tensor.extract %g[%c0] : tensor<1xf32>
  %logits = linalg.generic {
      indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>,
                       affine_map<(i) -> (i)>],
      iterator_types = ["parallel"]}
      ins(%y_rows, %score : tensor<256xf32>, tensor<256xf32>)
      outs(%v0 : tensor<256xf32>) {
  ^bb0(%y: f32, %sc: f32, %o: f32):
    %gs = arith.mulf %sc, %gain : f32
    %l = arith.addf %y, %gs : f32
    linalg.yield %l : f32
  } -> tensor<256xf32>

  // ---- Learn from the byte that followed. ---------------------------------
  %t = tensor.extract %next[%c0] : tensor<1xi32>
  %target = linalg.generic {
      indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      outs(%v0 : tensor<256xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i32
    %eq = arith.cmpi eq, %ii, %t : i32
    %hot = arith.select %eq, %onef, %zero : f32
    linalg.yield %hot : f32
  } -> tensor<256xf32>
  %all, %p = anima.kwta %logits, k = 256, softmax : tensor<256xf32>
  %err = arith.subf %target, %p : tensor<256xf32>

  // Gains: d log p(next) / d m_j = x_j W[rows_j] . (t - p),
  //        d log p(next) / d gain = score . (t - p).
  %w_err = anima.gather_matvec %W[%rows], %err
      : tensor<65536x256xf32>, tensor<11xi32>, tensor<256xf32>
  %mix_grad = arith.mulf %w_err, %x : tensor<11xf32>
  %X2 = anima.plastic_update hebb %X[%mix_row : tensor<11xi32>]
      post(%mix_grad : tensor<11xf32>) pre(%one : tensor<1xf32>)
      {eta = 0.003 : f32} : tensor<88x1xf32>
  %s0 = tensor.empty() : tensor<f32>
  %szero = linalg.fill ins(%zero : f32) outs(%s0 : tensor<f32>) -> tensor<f32>
  %ge = linalg.dot ins(%score, %err : tensor<256xf32>, tensor<256xf32>)
      outs(%szero : tensor<f32>) -> tensor<f32>
  %gev = tensor.extract %ge[] : tensor<f32>
  %gain_grad = tensor.from_elements %gev : tensor<1xf32>
  %G2 = anima.plastic_update hebb %G[%level : tensor<1xi32>]
      post(%gain_grad : tensor<1xf32>) pre(%one : tensor<1xf32>)
      {eta = 0.01 : f32} : tensor<8x1xf32>

  // Readout: softmax-delta on the active rows, with the learning rate
  // normalized by sum x^2 (modulator 4 / max(sum x^2, 4)).
  %xx = linalg.dot ins(%x, %x : tensor<11xf32>, tensor<11xf32>)
      outs(%szero : tensor<f32>) -> tensor<f32>
  %bound = arith.constant dense<4.0> : tensor<f32>
  %xxb = arith.maximumf %xx, %bound : tensor<f32>
  %rate = arith.divf %bound, %xxb : tensor<f32>
  %W2 = anima.plastic_update softmax_delta %W[%rows : tensor<11xi32>]
      post(%logits : tensor<256xf32>) pre(%x : tensor<11xf32>)
      target(%target : tensor<256xf32>) mod(%rate : tensor<f32>)
      {eta = 2.0 : f32, pre_major} : tensor<65536x256xf32>
  %N2 = anima.plastic_update hebb %N[%rows : tensor<11xi32>]
      post(%val : tensor<11xf32>) pre(%one : tensor<1xf32>)
      {eta = 1.0 : f32} : tensor<65536x1xf32>

  // Memory: bind the next byte's code to the key (delta rule).
  %code = anima.sparse_matvec %E[%next], %one
      : tensor<256x32xf32>, tensor<1xi32>, tensor<1xf32>
  %S2 = anima.mem_write %S, %key_val[%key_idx : tensor<6xi32>], %code
      {beta = 1.0 : f32, gamma = 1.0 : f32}
      : tensor<32x131072xf32>, tensor<6xf32>, tensor<32xf32>

  ml_program.global_store @readout = %W2 : tensor<65536x256xf32>
  ml_program.global_store @seen = %N2 : tensor<65536x1xf32>
  ml_program.global_store @mix = %X2 : tensor<88x1xf32>
  ml_program.global_store @memory = %S2 : tensor<32x131072xf32>
  ml_program.global_store @recall_gain = %G2 : tensor<8x1xf32>
  return %logits : tensor<256xf32>
}
