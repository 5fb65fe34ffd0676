package dev.lookout.ingest.service.parse;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds TensorBoard event files in tests: TFRecord framing with real masked CRC32C, Event protos by hand. */
public final class TfEventsFixtures {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static TfEventsFixtures file() {
        TfEventsFixtures f = new TfEventsFixtures();
        f.record(event(1.7e9, 0, null, fileVersion()));
        return f;
    }

    public TfEventsFixtures simple(long step, String tag, float value) {
        return record(event(1.7e9 + step, step, value(tag, b -> b.writeFloat(2, value)), null));
    }

    /** TF2 tf.summary.scalar: a float tensor with an empty shape, plugin "scalars". */
    public TfEventsFixtures tensor(long step, String tag, float value) {
        byte[] tensor = bytes(t -> {
            t.writeEnum(1, 1); // DT_FLOAT
            t.writeByteArray(2, new byte[0]); // TensorShapeProto with no dims
            t.writeByteArray(4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        });
        byte[] metadata = bytes(m -> m.writeByteArray(1, bytes(pd -> pd.writeString(1, "scalars"))));
        return record(event(1.7e9 + step, step, value(tag, b -> {
            b.writeByteArray(8, tensor);
            b.writeByteArray(9, metadata);
        }), null));
    }

    /** A histogram-like tensor (shape [3]) that must be ignored. */
    public TfEventsFixtures histogram(long step, String tag) {
        byte[] tensor = bytes(t -> {
            t.writeEnum(1, 2); // DT_DOUBLE
            t.writeByteArray(2, bytes(s -> s.writeByteArray(2, bytes(d -> d.writeInt64(1, 3)))));
            t.writeByteArray(4, new byte[24]);
        });
        byte[] metadata = bytes(m -> m.writeByteArray(1, bytes(pd -> pd.writeString(1, "histograms"))));
        return record(event(1.7e9 + step, step, value(tag, b -> {
            b.writeByteArray(8, tensor);
            b.writeByteArray(9, metadata);
        }), null));
    }

    public TfEventsFixtures record(byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(TfEventsParser.maskedCrc32c(header.array(), 0, 8));
        out.writeBytes(header.array());
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(TfEventsParser.maskedCrc32c(data, 0, data.length)).array());
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] bytes(Writer w) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            CodedOutputStream c = CodedOutputStream.newInstance(b);
            w.write(c);
            c.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] fileVersion() {
        return bytes(c -> c.writeString(3, "brain.Event:2"));
    }

    private static byte[] value(String tag, Writer body) {
        return bytes(c -> {
            c.writeString(1, tag);
            body.write(c);
        });
    }

    private static byte[] event(double wallTime, long step, byte[] value, byte[] extra) {
        return bytes(c -> {
            c.writeDouble(1, wallTime);
            c.writeInt64(2, step);
            if (value != null) {
                c.writeByteArray(5, bytes(s -> s.writeBytes(1, ByteString.copyFrom(value))));
            }
            if (extra != null) {
                c.writeRawBytes(extra);
            }
        });
    }
}
