#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "image/image_io.h"

namespace qc {
namespace {

// Deterministic test content: a smooth gradient plus texture from an LCG.
Image synthetic_image(int w, int h, int channels, uint32_t seed) {
  Image im(w, h, channels);
  uint32_t state = seed;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c) {
        state = state * 1664525u + 1013904223u;
        int texture = static_cast<int>(state >> 27) - 16;
        int v = (x * 255) / w / 2 + (y * 127) / h + 30 * c + texture;
        im.at(x, y, c) = static_cast<uint8_t>(std::clamp(v, 0, 255));
      }
    }
  }
  return im;
}

Image add_noise(const Image& in, int amplitude, uint32_t seed) {
  Image out = in;
  uint32_t state = seed;
  for (uint8_t& p : out.pixels) {
    state = state * 22695477u + 1u;
    int noise = static_cast<int>((state >> 16) % (2 * amplitude + 1)) - amplitude;
    p = static_cast<uint8_t>(std::clamp(int(p) + noise, 0, 255));
  }
  return out;
}

// Independent reference: a deliberately naive MS-SSIM written straight from
// Wang et al. 2003 -- a non-separable 2-D window, one window position at a
// time, statistics as E[x^2] - E[x]^2, pooling by explicit index clamping
// (TF) or, with zero_pad, as torch's avg_pool2d(kernel 2, padding = side % 2,
// zeros counted) that pytorch_msssim calls. No code is shared with
// metrics/metrics.cc.
double naive_ms_ssim_channel(const Image& a, const Image& b, int channel, int scales, int window_size,
                             bool zero_pad = false) {
  const double weights[5] = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  double weight_total = 0;
  for (int s = 0; s < scales; ++s) weight_total += weights[s];
  int w = a.width, h = a.height;
  std::vector<double> x(static_cast<size_t>(w) * h), y(x.size());
  for (int j = 0; j < h; ++j) {
    for (int i = 0; i < w; ++i) {
      x[j * w + i] = a.at(i, j, channel);
      y[j * w + i] = b.at(i, j, channel);
    }
  }
  std::vector<double> kernel(static_cast<size_t>(window_size) * window_size);
  double kernel_sum = 0;
  double centre = (window_size - 1) / 2.0;
  for (int u = 0; u < window_size; ++u) {
    for (int v = 0; v < window_size; ++v) {
      double r2 = (u - centre) * (u - centre) + (v - centre) * (v - centre);
      kernel[u * window_size + v] = std::exp(-r2 / (2 * 1.5 * 1.5));
      kernel_sum += kernel[u * window_size + v];
    }
  }
  for (double& k : kernel) k /= kernel_sum;
  const double c1 = std::pow(0.01 * 255, 2), c2 = std::pow(0.03 * 255, 2);
  double result = 1;
  for (int s = 0; s < scales; ++s) {
    double ssim_total = 0, cs_total = 0;
    int count = 0;
    for (int top = 0; top + window_size <= h; ++top) {
      for (int left = 0; left + window_size <= w; ++left) {
        double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
        for (int u = 0; u < window_size; ++u) {
          for (int v = 0; v < window_size; ++v) {
            double k = kernel[u * window_size + v];
            double px = x[(top + u) * w + left + v], py = y[(top + u) * w + left + v];
            mx += k * px;
            my += k * py;
            mxx += k * px * px;
            myy += k * py * py;
            mxy += k * px * py;
          }
        }
        double cs = (2 * (mxy - mx * my) + c2) / ((mxx - mx * mx) + (myy - my * my) + c2);
        ssim_total += cs * (2 * mx * my + c1) / (mx * mx + my * my + c1);
        cs_total += cs;
        ++count;
      }
    }
    double term = (s == scales - 1) ? ssim_total / count : cs_total / count;
    result *= std::pow(std::max(term, 0.0), weights[s] / weight_total);
    int nw = (w + 1) / 2, nh = (h + 1) / 2;
    std::vector<double> nx(static_cast<size_t>(nw) * nh), ny(nx.size());
    for (int j = 0; j < nh; ++j) {
      for (int i = 0; i < nw; ++i) {
        double sx = 0, sy = 0;
        for (int dj = 0; dj < 2; ++dj) {
          for (int di = 0; di < 2; ++di) {
            if (zero_pad) {
              // Padded index 2i + di is original index 2i + di - pad.
              int si = 2 * i + di - w % 2, sj = 2 * j + dj - h % 2;
              if (si < 0 || sj < 0 || si >= w || sj >= h) continue;  // a zero
              sx += x[sj * w + si];
              sy += y[sj * w + si];
              continue;
            }
            int si = std::min(2 * i + di, w - 1), sj = std::min(2 * j + dj, h - 1);
            sx += x[sj * w + si];
            sy += y[sj * w + si];
          }
        }
        nx[j * nw + i] = sx / 4;
        ny[j * nw + i] = sy / 4;
      }
    }
    x.swap(nx);
    y.swap(ny);
    w = nw;
    h = nh;
  }
  return result;
}

double naive_ms_ssim(const Image& a, const Image& b, int scales, int window_size, bool zero_pad = false) {
  int channels = a.channels >= 3 ? 3 : 1;
  double total = 0;
  for (int c = 0; c < channels; ++c) total += naive_ms_ssim_channel(a, b, c, scales, window_size, zero_pad);
  return total / channels;
}

TEST(MsSsim, PytorchConventionMatchesTheNaiveZeroPaddedReference) {
  Image a = synthetic_image(180, 177, 3, 1), b = add_noise(a, 20, 2);
  const double got = ms_ssim(a, b, MsssimConvention::kPytorch);
  EXPECT_NEAR(got, naive_ms_ssim(a, b, 5, 11, true), 1e-10);
  EXPECT_GT(std::abs(got - ms_ssim(a, b)), 1e-6) << "odd sides: the conventions differ";
}

TEST(MsSsim, ConventionsAgreeOnEvenSidesAndDifferLittleOnOdd) {
  Image a = synthetic_image(256, 192, 3, 3), b = add_noise(a, 25, 4);  // even down every scale
  EXPECT_EQ(ms_ssim(a, b, MsssimConvention::kPytorch), ms_ssim(a, b));
  Image c = synthetic_image(1024, 644, 3, 5), d = add_noise(c, 25, 6);  // 644 -> 322 -> 161 -> 81
  const double tf = ms_ssim(c, d), pytorch = ms_ssim(c, d, MsssimConvention::kPytorch);
  EXPECT_NE(tf, pytorch);
  EXPECT_LT(std::abs(tf - pytorch), 2e-3);
  EXPECT_STREQ(convention_name(MsssimConvention::kPytorch), "pytorch");
}

TEST(MsSsim, IdenticalImagesScoreOneAndInfiniteDb) {
  Image a = synthetic_image(180, 177, 3, 1);
  EXPECT_EQ(ms_ssim(a, a), 1.0);
  EXPECT_TRUE(std::isinf(msssim_db(ms_ssim(a, a))));
  EXPECT_GT(msssim_db(ms_ssim(a, a)), 0);
}

TEST(MsSsim, MatchesNaiveReferenceAtFiveScalesWithOddSides) {
  // 181 x 177: odd at several scales, so the edge-repeating pooling is exercised.
  Image a = synthetic_image(181, 177, 3, 7);
  Image b = add_noise(a, 25, 3);
  ASSERT_EQ(ms_ssim_scales(a.width, a.height), 5);
  double expected = naive_ms_ssim(a, b, 5, 11);
  double got = ms_ssim(a, b);
  EXPECT_NEAR(got, expected, 1e-10);
  EXPECT_GT(got, 0.3);
  EXPECT_LT(got, 0.99);
}

TEST(MsSsim, IsSymmetric) {
  Image a = synthetic_image(200, 190, 3, 11);
  Image b = add_noise(a, 30, 5);
  EXPECT_NEAR(ms_ssim(a, b), ms_ssim(b, a), 1e-12);
  EXPECT_NEAR(psnr(a, b), psnr(b, a), 1e-12);
}

TEST(MsSsim, DecreasesAsNoiseGrows) {
  Image a = synthetic_image(192, 192, 3, 13);
  double previous = 1.0, previous_psnr = INFINITY;
  for (int amplitude : {2, 8, 20, 50, 100}) {
    Image b = add_noise(a, amplitude, 17);
    double score = ms_ssim(a, b), p = psnr(a, b);
    EXPECT_LT(score, previous) << "amplitude " << amplitude;
    EXPECT_LT(p, previous_psnr) << "amplitude " << amplitude;
    EXPECT_GE(score, 0.0);
    previous = score;
    previous_psnr = p;
  }
}

TEST(MsSsim, ScaleCountFollowsTheShorterSide) {
  EXPECT_EQ(ms_ssim_scales(768, 512), 5);
  EXPECT_EQ(ms_ssim_scales(176, 176), 5);
  EXPECT_EQ(ms_ssim_scales(161, 400), 5);  // 161 -> 81 -> 41 -> 21 -> 11
  EXPECT_EQ(ms_ssim_scales(400, 160), 4);  // 160 -> 80 -> 40 -> 20 -> 10 (too small)
  EXPECT_EQ(ms_ssim_scales(64, 64), 3);
  EXPECT_EQ(ms_ssim_scales(21, 30), 2);
  EXPECT_EQ(ms_ssim_scales(20, 30), 1);
  EXPECT_EQ(ms_ssim_scales(11, 11), 1);
  EXPECT_EQ(ms_ssim_scales(5, 3), 1);
  EXPECT_EQ(ms_ssim_scales(1, 1), 1);
}

TEST(MsSsim, SmallImagesUseFewerScalesWithRenormalisedWeights) {
  Image a = synthetic_image(67, 45, 3, 19);  // 3 scales: 45 -> 23 -> 12
  Image b = add_noise(a, 20, 23);
  ASSERT_EQ(ms_ssim_scales(67, 45), 3);
  EXPECT_NEAR(ms_ssim(a, b), naive_ms_ssim(a, b, 3, 11), 1e-10);
}

TEST(MsSsim, TinyImagesShrinkTheWindow) {
  for (auto [w, h, window] : {std::tuple{10, 12, 9}, {8, 5, 5}, {4, 9, 3}, {2, 2, 1}, {1, 1, 1}}) {
    Image a = synthetic_image(w, h, 3, 29);
    Image b = add_noise(a, 15, 31);
    double score = ms_ssim(a, b);
    EXPECT_NEAR(score, naive_ms_ssim(a, b, 1, window), 1e-10) << w << "x" << h;
    EXPECT_GE(score, 0.0);
    EXPECT_LE(score, 1.0);
    EXPECT_EQ(ms_ssim(a, a), 1.0);
  }
}

TEST(MsSsim, FixturesOfEveryChannelLayoutWork) {
  for (const char* name : {"rgb_64x64.png", "rgb_67x45.png", "gray_40x40.png", "rgba_32x32.png"}) {
    Image a = read_image(std::string(QC_TEST_DATA) + "/" + name).image;
    Image b = add_noise(a, 10, 37);
    double score = ms_ssim(a, b);
    EXPECT_GT(score, 0.5) << name;
    EXPECT_LT(score, 1.0) << name;
    EXPECT_NEAR(score, naive_ms_ssim(a, b, ms_ssim_scales(a.width, a.height), 11), 1e-10) << name;
  }
}

TEST(MsSsim, GrayImageIsItsOneChannel) {
  Image rgb_a = synthetic_image(48, 48, 3, 41), rgb_b = add_noise(rgb_a, 12, 43);
  Image gray_a(48, 48, 1), gray_b(48, 48, 1);
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 48; ++x) {
      gray_a.at(x, y, 0) = rgb_a.at(x, y, 1);
      gray_b.at(x, y, 0) = rgb_b.at(x, y, 1);
    }
  }
  EXPECT_NEAR(ms_ssim(gray_a, gray_b), naive_ms_ssim_channel(rgb_a, rgb_b, 1, 3, 11), 1e-12);
}

TEST(MsSsim, AlphaIsIgnored) {
  Image a = synthetic_image(64, 64, 4, 47);
  Image b = a;
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) b.at(x, y, 3) = static_cast<uint8_t>(255 - a.at(x, y, 3));
  }
  EXPECT_EQ(ms_ssim(a, b), 1.0);
  EXPECT_TRUE(std::isinf(psnr(a, b)));
}

TEST(MsSsim, MismatchedImagesThrow) {
  Image a = synthetic_image(32, 32, 3, 1);
  EXPECT_THROW(ms_ssim(a, synthetic_image(32, 31, 3, 1)), Error);
  EXPECT_THROW(ms_ssim(a, synthetic_image(31, 32, 3, 1)), Error);
  EXPECT_THROW(ms_ssim(a, synthetic_image(32, 32, 4, 1)), Error);
  EXPECT_THROW(psnr(a, synthetic_image(32, 32, 1, 1)), Error);
  EXPECT_THROW(ms_ssim(Image(), Image()), Error);
  EXPECT_THROW(psnr(Image(), Image()), Error);
  try {
    ms_ssim(a, synthetic_image(16, 32, 3, 1));
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("32x32x3 vs 16x32x3"), std::string::npos) << e.what();
  }
}

TEST(MsSsimDb, KnownValues) {
  EXPECT_NEAR(msssim_db(0.9), 10.0, 1e-12);
  EXPECT_NEAR(msssim_db(0.99), 20.0, 1e-9);
  EXPECT_NEAR(msssim_db(0.0), 0.0, 1e-12);
  EXPECT_TRUE(std::isinf(msssim_db(1.0)));
}

TEST(Psnr, KnownValues) {
  Image a(10, 10, 3), b(10, 10, 3);
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    a.pixels[i] = 100;
    b.pixels[i] = 104;  // MSE 16 -> 10 log10(65025 / 16)
  }
  EXPECT_NEAR(psnr(a, b), 10 * std::log10(65025.0 / 16), 1e-12);
  EXPECT_TRUE(std::isinf(psnr(a, a)));
  b.pixels[0] = 100;  // one sample exact: MSE = 16 * 299 / 300
  EXPECT_NEAR(psnr(a, b), 10 * std::log10(65025.0 / (16.0 * 299 / 300)), 1e-12);
}

}  // namespace
}  // namespace qc
