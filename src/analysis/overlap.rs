//! Set operations on timelines (sorted, disjoint intervals) that the
//! analysis needs beyond [`crate::timeline`]: difference and intersection.

use crate::timeline::Interval;

/// Appends the parts of `a` not covered by `b` to `out` (not cleared).
pub fn difference(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    let mut j = 0;
    for iv in a {
        let mut start = iv.start;
        while j < b.len() && b[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < iv.end {
            if b[k].start > start {
                out.push(Interval::new(start, b[k].start));
            }
            start = start.max(b[k].end);
            k += 1;
        }
        if start < iv.end {
            out.push(Interval::new(start, iv.end));
        }
    }
}

/// `out` = the intersection of two timelines.
pub fn intersect(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].start.max(b[j].start);
        let hi = a[i].end.min(b[j].end);
        if lo < hi {
            out.push(Interval::new(lo, hi));
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// Whether `iv` overlaps the timeline `t` for a positive length.
pub fn overlaps(iv: &Interval, t: &[Interval]) -> bool {
    let k = t.partition_point(|x| x.end <= iv.start);
    k < t.len() && t[k].start < iv.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: f64, e: f64) -> Interval {
        Interval::new(s, e)
    }

    #[test]
    fn difference_cuts_holes() {
        let a = vec![iv(0.0, 10.0), iv(20.0, 30.0)];
        let b = vec![iv(-5.0, 1.0), iv(3.0, 4.0), iv(9.0, 22.0), iv(25.0, 26.0)];
        let mut out = Vec::new();
        difference(&a, &b, &mut out);
        assert_eq!(
            out,
            vec![iv(1.0, 3.0), iv(4.0, 9.0), iv(22.0, 25.0), iv(26.0, 30.0)]
        );
        out.clear();
        difference(&a, &[], &mut out);
        assert_eq!(out, a);
    }

    #[test]
    fn intersection_and_overlap() {
        let a = vec![iv(0.0, 10.0), iv(20.0, 30.0)];
        let b = vec![iv(5.0, 25.0)];
        let mut out = Vec::new();
        intersect(&a, &b, &mut out);
        assert_eq!(out, vec![iv(5.0, 10.0), iv(20.0, 25.0)]);
        assert!(overlaps(&iv(9.0, 11.0), &a));
        assert!(!overlaps(&iv(10.0, 20.0), &a));
    }
}
