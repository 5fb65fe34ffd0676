package dev.lookout.ingest.service.parse;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.lookout.ingest.service.MetricNames;
import dev.lookout.ingest.service.MetricPoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Streams a TensorBoard {@code events.out.tfevents.*} file record by record. TFRecord framing: uint64 length
 * (little-endian), uint32 masked CRC32C of the length, the data, uint32 masked CRC32C of the data; both CRCs
 * are verified and a mismatch is a 400 naming the record's byte offset.
 * <p>
 * The data is a tensorflow {@code Event}. There is no protoc here (nor a need for generated classes): the few
 * fields we need are decoded by number with protobuf-java's {@link CodedInputStream}, all others skipped:
 * <pre>
 * Event        { double wall_time = 1; int64 step = 2; Summary summary = 5; }
 * Summary      { repeated Value value = 1; }
 * Value        { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
 * SummaryMetadata { PluginData plugin_data = 1; }   PluginData { string plugin_name = 1; }
 * TensorProto  { DataType dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
 *                repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
 *                repeated int64 int64_val = 10; }
 * TensorShapeProto { repeated Dim dim = 2; }   Dim { int64 size = 1; }
 * </pre>
 * Scalars are {@code simple_value} (TF1 / tensorboardX / HF's TensorBoardCallback) or one-element float,
 * double, int32 or int64 tensors (TF2 {@code tf.summary.scalar}); histograms, images, text and other
 * plugins are counted in a note and ignored.
 */
public final class TfEventsParser {

    static final long MAX_RECORD_BYTES = 64L << 20;
    private static final int DT_FLOAT = 1;
    private static final int DT_DOUBLE = 2;
    private static final int DT_INT32 = 3;
    private static final int DT_INT64 = 9;

    private final Map<String, String> names = new HashMap<>();
    private long ignoredValues;

    public ParsedLog parse(InputStream in) {
        return parse(in, new ParsedLog(LogFormat.TFEVENTS));
    }

    /** Parses into log (which may hand the points on to a sink instead of keeping them). */
    public ParsedLog parse(InputStream in, ParsedLog log) {
        byte[] header = new byte[12];
        byte[] crc = new byte[4];
        long offset = 0;
        long records = 0;
        try {
            while (true) {
                int n = in.readNBytes(header, 0, 12);
                if (n == 0) {
                    break;
                }
                if (n < 12) {
                    throw LogParseException.atOffset(offset, "the file ends inside the header of the record at byte offset " + offset);
                }
                ByteBuffer hb = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                long length = hb.getLong(0);
                int lengthCrc = hb.getInt(8);
                if (maskedCrc32c(header, 0, 8) != lengthCrc) {
                    throw LogParseException.atOffset(offset, "bad length CRC in the record at byte offset " + offset
                            + " (not a TensorBoard event file, or it is corrupt)");
                }
                if (length < 0 || length > MAX_RECORD_BYTES) {
                    throw LogParseException.atOffset(offset, "the record at byte offset " + offset + " claims " + length
                            + " bytes (more than " + MAX_RECORD_BYTES + ")");
                }
                byte[] data = in.readNBytes((int) length);
                if (data.length < length || in.readNBytes(crc, 0, 4) < 4) {
                    throw LogParseException.atOffset(offset, "the file ends inside the record at byte offset " + offset);
                }
                int dataCrc = ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (maskedCrc32c(data, 0, data.length) != dataCrc) {
                    throw LogParseException.atOffset(offset, "bad data CRC in the record at byte offset " + offset);
                }
                try {
                    readEvent(data, log);
                } catch (IOException | RuntimeException e) {
                    throw LogParseException.atOffset(offset, "the record at byte offset " + offset + " is not a readable Event");
                }
                records++;
                offset += 16 + length;
            }
        } catch (IOException e) {
            throw LogParseException.atOffset(offset, "the body could not be read at byte offset " + offset);
        }
        if (records == 0) {
            throw new LogParseException(1, "the body is empty", true);
        }
        if (ignoredValues > 0) {
            log.note(ignoredValues + " non-scalar summary values (histograms, images, text, …) were ignored");
        }
        return log;
    }

    /** TFRecord's mask: rotate right by 15 bits and add a constant. */
    public static int maskedCrc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private void readEvent(byte[] data, ParsedLog log) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        double wallTime = Double.NaN;
        long step = 0;
        byte[] summary = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_FIXED64 -> wallTime = in.readDouble();
                case (2 << 3) | WireFormat.WIRETYPE_VARINT -> step = in.readInt64();
                case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> summary = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        if (summary == null) {
            return;
        }
        if (step < 0) {
            throw new IOException("negative step");
        }
        Instant wall = Double.isFinite(wallTime) && wallTime > 0
                ? Instant.ofEpochSecond((long) wallTime, (long) ((wallTime - Math.floor(wallTime)) * 1e9)) : null;
        CodedInputStream s = CodedInputStream.newInstance(summary);
        while ((tag = s.readTag()) != 0) {
            if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                readValue(s.readByteArray(), step, wall, log);
            } else {
                s.skipField(tag);
            }
        }
    }

    private void readValue(byte[] data, long step, Instant wall, ParsedLog log) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        String name = null;
        Double simple = null;
        byte[] tensor = null;
        String plugin = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> name = in.readStringRequireUtf8();
                case (2 << 3) | WireFormat.WIRETYPE_FIXED32 -> simple = (double) in.readFloat();
                case (8 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> tensor = in.readByteArray();
                case (9 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> plugin = pluginName(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        Double value = simple;
        if (value == null && tensor != null && (plugin == null || plugin.isEmpty() || "scalars".equals(plugin))) {
            value = tensorScalar(tensor);
        }
        if (name == null || name.isEmpty() || value == null) {
            ignoredValues++;
            return;
        }
        log.add(new MetricPoint(names.computeIfAbsent(name, MetricNames::normalise), step, value, wall));
    }

    private static String pluginName(byte[] metadata) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(metadata);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                CodedInputStream pd = CodedInputStream.newInstance(in.readByteArray());
                int t;
                while ((t = pd.readTag()) != 0) {
                    if (t == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        return pd.readStringRequireUtf8();
                    }
                    pd.skipField(t);
                }
            } else {
                in.skipField(tag);
            }
        }
        return null;
    }

    /** The value of a one-element numeric tensor, or null. */
    static Double tensorScalar(byte[] data) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        int dtype = 0;
        long elements = 1;
        byte[] content = null;
        Double value = null;
        int count = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> dtype = in.readEnum();
                case 2 -> elements = shapeElements(in.readByteArray());
                case 4 -> content = in.readByteArray();
                case 5, 6, 7, 10 -> {
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (!in.isAtEnd()) {
                            value = readElement(in, field);
                            count++;
                        }
                        in.popLimit(limit);
                    } else {
                        value = readElement(in, field);
                        count++;
                    }
                }
                default -> in.skipField(tag);
            }
        }
        if (elements != 1) {
            return null;
        }
        if (content != null && value == null) {
            ByteBuffer b = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
            return switch (dtype) {
                case DT_FLOAT -> content.length == 4 ? (double) b.getFloat() : null;
                case DT_DOUBLE -> content.length == 8 ? b.getDouble() : null;
                case DT_INT32 -> content.length == 4 ? (double) b.getInt() : null;
                case DT_INT64 -> content.length == 8 ? (double) b.getLong() : null;
                default -> null;
            };
        }
        return count == 1 ? value : null;
    }

    private static Double readElement(CodedInputStream in, int field) throws IOException {
        return switch (field) {
            case 5 -> (double) in.readFloat();
            case 6 -> in.readDouble();
            case 7 -> (double) in.readInt32();
            default -> (double) in.readInt64();
        };
    }

    private static long shapeElements(byte[] shape) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(shape);
        long elements = 1;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                CodedInputStream dim = CodedInputStream.newInstance(in.readByteArray());
                int t;
                while ((t = dim.readTag()) != 0) {
                    if (t == ((1 << 3) | WireFormat.WIRETYPE_VARINT)) {
                        elements *= dim.readInt64();
                    } else {
                        dim.skipField(t);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return elements;
    }
}
