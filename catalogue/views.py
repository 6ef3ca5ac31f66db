"""The portal's product pages: list, write, preview, photos, submit and withdraw.

Every page fetches the product through `get_product_for_exporter`, so another
company's product id is a 404 and nothing changes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalogue import services
from catalogue.forms import PhotoDetailsForm, ProductForm, ProductImageForm
from catalogue.models import Product, ProductImage
from exporters.views import apply_service_errors, member_required
from pti_bridge.errors import DomainError


def get_product_for_exporter(user, pk) -> Product:
    """The product `pk` if it belongs to the company `user` acts for; else Http404.

    Staff are not special here: the portal is the exporters' door (staff use the admin).
    """
    membership = getattr(user, "exporter_membership", None) if user.is_authenticated else None
    if membership is None:
        raise Http404
    product = (
        Product.objects.for_exporter(membership.exporter_id)
        .select_related("category__parent", "origin_country", "exporter")
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404
    return product


def get_photo_for_exporter(user, product_pk, photo_pk) -> ProductImage:
    product = get_product_for_exporter(user, product_pk)
    photo = product.images.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return photo


def _refusal(request, error) -> None:
    if isinstance(error, DomainError):
        messages.error(request, str(error.message))
    elif isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))


@member_required
def product_list(request):
    products = (
        Product.objects.for_exporter(request.exporter)
        .select_related("category")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        .annotate(photo_count=Count("images"))
        .order_by("-updated_at", "-id")
    )
    return render(request, "portal/product_list.html", {"products": products})


@member_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    draft = Product(exporter=request.exporter, origin_country_id=request.exporter.country_id)
    form = ProductForm(request.POST or None, exporter=request.exporter, instance=draft)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(exporter=request.exporter, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Now add a few photos."))
            return redirect("portal:product_photos", pk=product.pk)
    return render(request, "portal/product_form.html", {"form": form, "product": None})


@member_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_product_for_exporter(request.user, pk)
    if product.status == Product.Status.SUBMITTED:
        messages.info(request, _("This product is waiting for review. Withdraw it to draft to edit it."))
        return redirect("portal:product_detail", pk=product.pk)
    # A throwaway copy: the form fills it while validating; the service decides what is saved.
    scratch = Product.objects.get(pk=product.pk)
    initial = services.product_pending_view(product) if product.pending_changes else None
    form = ProductForm(request.POST or None, instance=scratch, initial=initial, exporter=request.exporter)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_update(product=product, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        except (DomainError, PermissionDenied) as error:
            _refusal(request, error)
            return redirect("portal:product_detail", pk=product.pk)
        else:
            if product.status in services.EDIT_PENDING and product.pending_changes:
                messages.success(
                    request,
                    _("Your changes are saved and wait for PTI's review. Buyers see the published version until then."),
                )
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect("portal:product_detail", pk=product.pk)
    return render(request, "portal/product_form.html", {"form": form, "product": product})


@member_required
def product_detail(request, pk):
    """A preview of the listing as it reads, with the actions its status allows."""
    product = get_product_for_exporter(request.user, pk)
    photos = list(product.images.order_by("position", "id"))
    pending = services.product_pending_view(product) if product.pending_changes else None
    preview = product
    if pending:
        # Show the listing as it will read once staff accept the changes.
        preview = Product.objects.select_related("category", "origin_country").get(pk=product.pk)
        services._apply_json(preview, product.pending_changes)
    certifications = list(product.certifications.all())
    if pending and "certifications" in product.pending_changes:
        from catalogue.models import Certification

        certifications = list(Certification.objects.filter(pk__in=product.pending_changes["certifications"]))
    return render(
        request,
        "portal/product_detail.html",
        {
            "product": product,
            "preview": preview,
            "photos": photos,
            "certifications": certifications,
            "pending": pending,
        },
    )


def _product_action(request, pk, service, done_message):
    product = get_product_for_exporter(request.user, pk)
    try:
        service(product=product, actor=request.user)
    except (DomainError, ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, done_message)
    return redirect("portal:product_detail", pk=product.pk)


@member_required
@require_POST
def product_submit(request, pk):
    return _product_action(
        request, pk, services.product_submit, _("Submitted. PTI will review the listing and write the Chinese text.")
    )


@member_required
@require_POST
def product_withdraw(request, pk):
    return _product_action(request, pk, services.product_withdraw, _("Withdrawn to draft. You can edit it again."))


@member_required
@require_POST
def product_archive(request, pk):
    return _product_action(
        request, pk, services.product_archive, _("Archived: buyers no longer see it. Ask PTI to restore it.")
    )


@member_required
@require_POST
def product_discard_changes(request, pk):
    return _product_action(
        request, pk, services.product_discard_pending_changes, _("Your waiting changes are cancelled.")
    )


# Photos


@member_required
@require_http_methods(["GET", "POST"])
def product_photos(request, pk):
    product = get_product_for_exporter(request.user, pk)
    photos = list(product.images.order_by("position", "id"))
    form = PortalPhotoForm()
    if request.method == "POST":
        form = PortalPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                image = _photo_add(product=product, form=form, actor=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            except (DomainError, PermissionDenied) as error:
                _refusal(request, error)
            else:
                if image.awaiting_review:
                    messages.success(
                        request, _("The photo is added and waits for PTI's review. Buyers see it once it is approved.")
                    )
                else:
                    messages.success(request, _("The photo is added."))
                return redirect("portal:product_photos", pk=product.pk)
    details = []
    for photo in photos:
        waiting = services.photo_text_pending(product, photo.pk)
        photo.text_waiting = waiting is not None
        initial = {"alt_text": waiting} if photo.text_waiting else None
        details.append((photo, PhotoDetailsForm(instance=photo, prefix=f"photo-{photo.pk}", initial=initial)))
    return render(request, "portal/product_photos.html", {"product": product, "form": form, "details": details})


class PortalPhotoForm(ProductImageForm):
    """The media helper's photo form without the order field: a new photo goes last."""

    class Meta(ProductImageForm.Meta):
        fields = ["original", "alt_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt_text"].label = _("Describe the photo")
        self.fields["alt_text"].help_text = _(
            "e.g. “Cured vanilla beans in 1 kg bags”. Read out to buyers who cannot see it."
        )


def _photo_add(*, product, form, actor):
    # The form has run the image pipeline already (a refused file is a form error and
    # nothing is stored); the service checks ownership, stores and schedules renditions.
    return services.product_image_add(
        product=product,
        upload=form.cleaned_data["original"],
        alt_text=form.cleaned_data.get("alt_text", ""),
        actor=actor,
    )


@member_required
@require_POST
def photo_update(request, pk, photo_pk):
    photo = get_photo_for_exporter(request.user, pk, photo_pk)
    form = PhotoDetailsForm(request.POST, instance=ProductImage.objects.get(pk=photo.pk), prefix=f"photo-{photo.pk}")
    if form.is_valid():
        services.product_image_update(
            image=photo,
            actor=request.user,
            alt_text=form.cleaned_data["alt_text"],
            position=form.cleaned_data["position"],
        )
        product = Product.objects.get(pk=photo.product_id)
        if services.photo_text_pending(product, photo.pk) is not None:
            messages.success(
                request,
                _(
                    "The photo details are saved. The new description waits for PTI's review; buyers see it once it is approved."
                ),
            )
        else:
            messages.success(request, _("The photo details are saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("portal:product_photos", pk=photo.product_id)


@member_required
@require_POST
def photo_delete(request, pk, photo_pk):
    photo = get_photo_for_exporter(request.user, pk, photo_pk)
    services.product_image_remove(image=photo, actor=request.user)
    messages.success(request, _("The photo is removed."))
    return redirect("portal:product_photos", pk=pk)


portal_urlpatterns = [
    path("products/", product_list, name="product_list"),
    path("products/new/", product_create, name="product_create"),
    path("products/<int:pk>/", product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", product_edit, name="product_edit"),
    path("products/<int:pk>/submit/", product_submit, name="product_submit"),
    path("products/<int:pk>/withdraw/", product_withdraw, name="product_withdraw"),
    path("products/<int:pk>/archive/", product_archive, name="product_archive"),
    path("products/<int:pk>/cancel-changes/", product_discard_changes, name="product_discard_changes"),
    path("products/<int:pk>/photos/", product_photos, name="product_photos"),
    path("products/<int:pk>/photos/<int:photo_pk>/", photo_update, name="photo_update"),
    path("products/<int:pk>/photos/<int:photo_pk>/delete/", photo_delete, name="photo_delete"),
]
