// Gate nonlinearities of the recurrent cells, in plain IEEE float arithmetic
// (no libm, no FMA contraction: this library builds with -ffp-contract=off),
// so that every machine, ISA path and thread count gives the same bits.
#pragma once

namespace qc {

float exp_approx(float x);  // relative error < 2e-7 on [-87, 88], clamped outside
float sigmoid(float x);
float tanh_approx(float x);

// ConvGRU, one pixel: gi, gh hold [r, z, n] x hidden; updates h in place.
void gru_update(const float* gi, const float* gh, float* h, int hidden);
// ConvLSTM, one pixel: gi, gh hold [i, f, g, o] x hidden; updates h and c.
void lstm_update(const float* gi, const float* gh, float* h, float* c, int hidden);

}  // namespace qc
