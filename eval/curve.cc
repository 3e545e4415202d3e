#include "eval/curve.h"

#include "metrics/metrics.h"

namespace qc {
namespace {

template <typename Field>
std::vector<RdPoint> points_of(const std::vector<CurvePoint>& points, Field field) {
  std::vector<RdPoint> out;
  for (const CurvePoint& p : points) out.push_back({p.bpp, p.*field});
  return out;
}

}  // namespace

std::vector<RdPoint> Curve::msssim_points() const { return points_of(points, &CurvePoint::msssim); }
std::vector<RdPoint> Curve::msssim_db_points() const { return points_of(points, &CurvePoint::msssim_db); }
std::vector<RdPoint> Curve::psnr_points() const { return points_of(points, &CurvePoint::psnr); }

Curve average_curve(const CodecAdapter& codec, const std::vector<Measurement>& rows) {
  Curve curve{codec.name(), codec.label(), codec.setting_name(), {}};
  for (double setting : codec.settings()) {
    CurvePoint p;
    p.setting = setting;
    for (const Measurement& m : rows) {
      if (m.codec != curve.codec || m.setting != setting) continue;
      ++p.images;
      p.bpp += m.bpp;
      p.msssim += m.msssim;
      p.psnr += m.psnr;
      p.encode_ms += m.encode_ms;
      p.decode_ms += m.decode_ms;
    }
    if (p.images == 0) continue;
    for (double* v : {&p.bpp, &p.msssim, &p.psnr, &p.encode_ms, &p.decode_ms}) *v /= p.images;
    p.msssim_db = msssim_db(p.msssim);
    curve.points.push_back(p);
  }
  return curve;
}

}  // namespace qc
